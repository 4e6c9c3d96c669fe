"""Words the back office's lists show: titles and counts that read as English
("Orders to review", "3 orders to review"), not Django's "Select Order to
view" or "3 pharmacist's queue"."""

from django import template

register = template.Library()


def _sentence_case(words: str) -> str:
    # "Product reviews" -> "product reviews"; "TOTP devices" stays.
    first, _, rest = words.partition(" ")
    if first[:1].isupper() and not first[1:2].isupper():
        first = first.lower()
    return f"{first} {rest}" if rest else first


@register.simple_tag
def counted(cl) -> str:
    """A list's count in words. A ModelAdmin says how it counts with
    ``count_words``: (one, many), or a method of the change list giving them;
    otherwise the model's verbose names are used."""
    words = getattr(cl.model_admin, "count_words", None)
    if callable(words):
        words = words(cl)
    one, many = words or (cl.opts.verbose_name, cl.opts.verbose_name_plural)
    noun = str(one if cl.result_count == 1 else many)
    return f"{cl.result_count} {_sentence_case(noun)}"


@register.filter
def list_title(title: str, cl) -> str:
    """A list's title: the one its admin gave, else in place of Django's
    "Select order to view", what it lists ("Orders")."""
    if cl is None or title != cl.title:
        return title
    plural = str(cl.opts.verbose_name_plural)
    return plural[:1].upper() + plural[1:]
