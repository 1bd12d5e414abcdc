"""``dataclass``, ``field`` and ``replace`` without importing :mod:`dataclasses` at run time.

The hook's whole-process time is a product feature, and ``import dataclasses`` (which
imports :mod:`inspect`, :mod:`ast`, :mod:`dis`, :mod:`tokenize`...) plus the source that
``@dataclass`` compiles for every class cost more than starting Python itself. This module
gives the same classes for the subset the package uses (``frozen``, ``slots``, defaults,
``field(default=..., default_factory=...)``) from shared, pre-compiled functions:

- ``__init__`` (positional and keyword arguments, defaults, factories, the same
  ``TypeError`` for a missing or unexpected argument), ``__repr__``, ``__eq__``, ``__hash__``
  (frozen: the hash of the field tuple; mutable: unhashable), ``__match_args__``;
- frozen classes raise :class:`dataclasses.FrozenInstanceError` on assignment and deletion,
  and pickle and copy like a frozen slotted dataclass;
- ``__dataclass_fields__`` is built on first use (importing :mod:`dataclasses` then), so
  :func:`dataclasses.fields`, :func:`dataclasses.replace`, :func:`dataclasses.asdict` and
  :func:`dataclasses.is_dataclass` work on these classes as on real ones.

Type checkers see the real :mod:`dataclasses` (the ``TYPE_CHECKING`` branch).
``tests/test_fastpath.py`` checks the behaviour against real dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dataclasses import dataclass as dataclass
    from dataclasses import field as field
    from dataclasses import replace as replace
else:
    from operator import attrgetter

    _MISSING = object()

    class _Field:
        __slots__ = ("default", "default_factory")

        def __init__(self, default, default_factory):
            self.default = default
            self.default_factory = default_factory

    def field(*, default=_MISSING, default_factory=_MISSING):
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        return _Field(default, default_factory)

    def dataclass(cls=None, /, *, frozen=False, slots=False):
        def wrap(c):
            return _build(c, frozen, slots)

        return wrap if cls is None else wrap(cls)

    def replace(obj, /, **changes):
        """:func:`dataclasses.replace` for the classes made here (and real ones)."""
        names = getattr(type(obj), "_dc_names", None)
        if names is None:
            import dataclasses

            return dataclasses.replace(obj, **changes)
        values = [changes.pop(n) if n in changes else getattr(obj, n) for n in names]
        if changes:
            unexpected = next(iter(changes))
            raise TypeError(f"{type(obj).__qualname__}.__init__() got an unexpected keyword argument {unexpected!r}")
        return type(obj)(*values)

    class _LazyFields:
        """``__dataclass_fields__``, made of real :class:`dataclasses.Field` objects on first use."""

        def __get__(self, obj, owner):
            import dataclasses

            fields = {}
            for name in owner._dc_names:
                default = owner._dc_defaults.get(name, _MISSING)
                if isinstance(default, _Field):
                    f = dataclasses.field(
                        default=dataclasses.MISSING if default.default is _MISSING else default.default,
                        default_factory=(
                            dataclasses.MISSING if default.default_factory is _MISSING else default.default_factory
                        ),
                    )
                else:
                    f = dataclasses.field(default=dataclasses.MISSING if default is _MISSING else default)
                f.name = name
                f.type = owner.__annotations__[name]
                f.kw_only = False
                f._field_type = dataclasses._FIELD
                fields[name] = f
            type.__setattr__(owner, "__dataclass_fields__", fields)
            return fields

    def _frozen_error(name, verb="assign to"):
        from dataclasses import FrozenInstanceError

        return FrozenInstanceError(f"cannot {verb} field {name!r}")

    # ``__init__`` for n fields: the fields' slot setters called in a row when all n are
    # given by position (the hot case: one call per token of a file); anything else (keywords,
    # defaults, factories, errors) goes through ``bind``. Hand-written, so nothing is
    # compiled at import; a class with more fields gets the loop.
    def _init_for(setters, bind):
        n = len(setters)
        if n == 1:
            (s0,) = setters

            def __init__(self, a0=_MISSING, /, **kw):
                if kw or a0 is _MISSING:
                    (a0,) = bind((a0,), kw)
                s0(self, a0)

        elif n == 2:
            s0, s1 = setters

            def __init__(self, a0=_MISSING, a1=_MISSING, /, **kw):
                if kw or a1 is _MISSING:
                    a0, a1 = bind((a0, a1), kw)
                s0(self, a0)
                s1(self, a1)

        elif n == 3:
            s0, s1, s2 = setters

            def __init__(self, a0=_MISSING, a1=_MISSING, a2=_MISSING, /, **kw):
                if kw or a2 is _MISSING:
                    a0, a1, a2 = bind((a0, a1, a2), kw)
                s0(self, a0)
                s1(self, a1)
                s2(self, a2)

        elif n == 4:
            s0, s1, s2, s3 = setters

            def __init__(self, a0=_MISSING, a1=_MISSING, a2=_MISSING, a3=_MISSING, /, **kw):
                if kw or a3 is _MISSING:
                    a0, a1, a2, a3 = bind((a0, a1, a2, a3), kw)
                s0(self, a0)
                s1(self, a1)
                s2(self, a2)
                s3(self, a3)

        elif n == 5:
            s0, s1, s2, s3, s4 = setters

            def __init__(self, a0=_MISSING, a1=_MISSING, a2=_MISSING, a3=_MISSING, a4=_MISSING, /, **kw):
                if kw or a4 is _MISSING:
                    a0, a1, a2, a3, a4 = bind((a0, a1, a2, a3, a4), kw)
                s0(self, a0)
                s1(self, a1)
                s2(self, a2)
                s3(self, a3)
                s4(self, a4)

        elif n == 16:  # Entry: one per requirement
            s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, s12, s13, s14, s15 = setters

            def __init__(
                self,
                a0=_MISSING,
                a1=_MISSING,
                a2=_MISSING,
                a3=_MISSING,
                a4=_MISSING,
                a5=_MISSING,
                a6=_MISSING,
                a7=_MISSING,
                a8=_MISSING,
                a9=_MISSING,
                a10=_MISSING,
                a11=_MISSING,
                a12=_MISSING,
                a13=_MISSING,
                a14=_MISSING,
                a15=_MISSING,
                /,
                **kw,
            ):
                if kw or a15 is _MISSING:
                    a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 = bind(
                        (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15), kw
                    )
                s0(self, a0)
                s1(self, a1)
                s2(self, a2)
                s3(self, a3)
                s4(self, a4)
                s5(self, a5)
                s6(self, a6)
                s7(self, a7)
                s8(self, a8)
                s9(self, a9)
                s10(self, a10)
                s11(self, a11)
                s12(self, a12)
                s13(self, a13)
                s14(self, a14)
                s15(self, a15)

        else:

            def __init__(self, *args, **kw):
                if kw or len(args) != n:
                    args = bind(args, kw)
                for setter, value in zip(setters, args, strict=True):
                    setter(self, value)

        return __init__

    def _build(cls, frozen, slots):
        annotations = cls.__dict__.get("__annotations__", {})  # noqa: RUF063 (inspect is what we avoid)
        names = tuple(n for n, t in annotations.items() if not (isinstance(t, str) and "ClassVar" in t))
        ns = {k: v for k, v in cls.__dict__.items() if k not in ("__dict__", "__weakref__")}
        defaults = {}
        for n in names:
            if n in ns:
                defaults[n] = ns.pop(n)
            elif defaults:
                raise TypeError(f"non-default argument {n!r} follows default argument")
        if slots:
            ns["__slots__"] = names
            new = type(cls)(cls.__name__, cls.__bases__, ns)
            setters = tuple(new.__dict__[n].__set__ for n in names)
        else:
            for n in defaults:
                delattr(cls, n)
            new = cls
            setters = tuple((lambda obj, value, n=n: object.__setattr__(obj, n, value)) for n in names)
        qualname = new.__qualname__
        if len(names) == 1:
            one = attrgetter(names[0])

            def values(obj):
                return (one(obj),)

        elif names:
            values = attrgetter(*names)
        else:

            def values(obj):
                return ()

        count = len(names)
        post_init = ns.get("__post_init__")
        if post_init is not None:
            raise TypeError("__post_init__ is not supported here; use dataclasses")

        def bind(args, kwargs):
            args = [a for a in args if a is not _MISSING]  # the templates' unfilled positions
            if len(args) > count:
                raise TypeError(
                    f"{qualname}.__init__() takes {count + 1} positional arguments but {len(args) + 1} were given"
                )
            out = list(args)
            for name in names[len(args) :]:
                if name in kwargs:
                    out.append(kwargs.pop(name))
                    continue
                default = defaults.get(name, _MISSING)
                if default is _MISSING:
                    raise TypeError(f"{qualname}.__init__() missing 1 required positional argument: {name!r}")
                if isinstance(default, _Field):
                    default = default.default_factory() if default.default is _MISSING else default.default
                out.append(default)
            for name in kwargs:
                if name in names:
                    raise TypeError(f"{qualname}.__init__() got multiple values for argument {name!r}")
                raise TypeError(f"{qualname}.__init__() got an unexpected keyword argument {name!r}")
            return out

        __init__ = _init_for(setters, bind)

        def __repr__(self):
            return f"{type(self).__qualname__}({', '.join(f'{n}={v!r}' for n, v in zip(names, values(self), strict=True))})"

        def __eq__(self, other):
            if other.__class__ is self.__class__:
                return values(self) == values(other)
            return NotImplemented

        methods = {"__init__": __init__, "__repr__": __repr__, "__eq__": __eq__, "__match_args__": names}
        own_hash = cls.__dict__.get("__hash__", _MISSING)
        if own_hash is _MISSING or (own_hash is None and "__eq__" in cls.__dict__):
            methods["__hash__"] = None  # eq without frozen: unhashable, as dataclasses does
        if frozen:

            def __hash__(self):
                return hash(values(self))

            if "__hash__" in methods:
                methods["__hash__"] = __hash__

            def __setattr__(self, name, value):
                if type(self) is new or name in names:
                    raise _frozen_error(name)
                super(new, self).__setattr__(name, value)

            def __delattr__(self, name):
                if type(self) is new or name in names:
                    raise _frozen_error(name, "delete")
                super(new, self).__delattr__(name)

            def __getstate__(self):
                return list(values(self))

            def __setstate__(self, state):
                for setter, value in zip(setters, state, strict=True):
                    setter(self, value)

            methods.update(
                __setattr__=__setattr__, __delattr__=__delattr__, __getstate__=__getstate__, __setstate__=__setstate__
            )
        for key, value in methods.items():
            if key not in ns or key == "__hash__":
                if isinstance(value, type(__init__)):
                    value.__qualname__ = f"{qualname}.{key}"
                type.__setattr__(new, key, value)
        new._dc_names = names
        new._dc_defaults = defaults
        new.__dataclass_fields__ = _LazyFields()
        return new
