"""Text a journalist reads, given once or per language.

The texts of pressroom.yaml that journalists read (``org.name``,
``org.boilerplate``, a person's ``title`` and ``org``) may be a plain string or a
mapping by language::

    boilerplate:
      en: Sidewalk Commons is ...
      de: Sidewalk Commons ist ...

The field itself then holds the text of the room's ``locale`` (so everything that
knows nothing of languages, such as the sender's name, keeps working), and
:meth:`ByLanguage.in_language` gives the text for a release's language: the tag as
written (``de-AT``), then its language (``de``), then the field itself (the
room's language, else the first text given). Each language key is a BCP 47 tag,
checked when the file is read, and each text is validated like the plain field
(a name still cannot hold a line break).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import (
    ModelWrapValidatorHandler,
    PrivateAttr,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError

from pressroom.model.base import Strict, user_error


def _by_tag(texts: dict[str, str], language: str) -> str | None:
    from pressroom.i18n.language import primary_language

    if language in texts:
        return texts[language]
    primary = primary_language(language)
    for tag, text in texts.items():
        if tag == primary:
            return text
    return None


class ByLanguage(Strict):
    """A model with fields (:attr:`BY_LANGUAGE`) that may be written per language."""

    BY_LANGUAGE: ClassVar[tuple[str, ...]] = ()
    _texts: dict[str, dict[str, str]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _per_language(
        cls, data: Any, handler: ModelWrapValidatorHandler[ByLanguage], info: ValidationInfo
    ) -> ByLanguage:
        from pressroom.i18n.language import language_tag

        if not isinstance(data, dict):
            return handler(data)  # an instance (a person a release names): kept as it is
        texts: dict[str, dict[str, str]] = {}
        data = dict(data)
        for name in cls.BY_LANGUAGE:
            value = data.get(name)
            if not isinstance(value, dict):
                continue
            if not value:
                raise user_error("by_language", "write the text, or one per language", at=(name,))
            adapter: TypeAdapter[Any] = TypeAdapter(cls.model_fields[name].annotation)  # type: ignore[arg-type]
            by_tag: dict[str, str] = {}
            for key, text in value.items():
                try:
                    tag = language_tag(str(key))
                except ValueError as exc:
                    raise user_error("by_language", str(exc), at=(name, key)) from None
                if not isinstance(text, str):
                    raise user_error("by_language", "write the text (a string)", at=(name, key))
                try:
                    by_tag[tag] = adapter.validate_python(text.strip())
                except PydanticValidationError as exc:
                    problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
                    raise user_error("by_language", problem, at=(name, key)) from None
            texts[name] = by_tag
            data[name] = next(iter(by_tag.values()))
        model = handler(data)
        model._texts = texts
        return model

    def in_language(self, name: str, language: str) -> Any:
        """Field *name* in *language* (a BCP 47 tag), falling back to the field itself."""
        found = _by_tag(self._texts.get(name, {}), language)
        return found if found is not None else getattr(self, name)

    def texts_of(self, name: str) -> dict[str, str]:
        """The texts of field *name* by language tag (empty when written once)."""
        return dict(self._texts.get(name, {}))

    def set_texts(self, name: str, texts: dict[str, str]) -> None:
        self._texts[name] = dict(texts)

    def speak(self, language: str) -> None:
        """Make each field hold its text in *language* (the room's), where one is given."""
        for name, texts in self._texts.items():
            found = _by_tag(texts, language)
            if found is not None:
                setattr(self, name, found)
