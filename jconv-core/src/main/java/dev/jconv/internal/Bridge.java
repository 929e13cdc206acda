package dev.jconv.internal;

/**
 * One implementation of an internal interface, registered by the class that owns the state behind it
 * (its static initialiser calls {@link #register}): {@link Raw} and {@link AutogradAccess} reach
 * {@code Tensor}'s internals so, {@link NodeAccess} those of {@code Node}. {@link #get} initialises the
 * owner first if nothing has yet.
 */
public final class Bridge<T> {
  private final Class<?> owner;
  private volatile T impl;

  /** A bridge whose implementation the class {@code owner} registers when it is initialised. */
  public Bridge(Class<?> owner) {
    this.owner = owner;
  }

  public void register(T implementation) {
    impl = implementation;
  }

  public T get() {
    T a = impl;
    if (a == null) {
      try {
        Class.forName(owner.getName(), true, owner.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError(e);
      }
      a = impl;
    }
    return a;
  }
}
