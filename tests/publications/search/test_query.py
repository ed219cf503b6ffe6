"""A query cut into words, phrases and prefixes."""

from publications.search.query import Term, parse_query


def test_queries_are_cut_into_words_phrases_and_prefixes():
    assert parse_query('Nuclear "energy security" nucl* l\'énergie') == [
        Term(("Nuclear",)),
        Term(("energy", "security"), quoted=True),
        Term(("nucl",), prefix=True),
        Term(("l", "énergie")),
    ]
    assert parse_query("& | ! : * ( ) <-> \x00 🌍") == []
    assert parse_query('"unbalanced quote') == [
        Term(("unbalanced", "quote"), quoted=True)
    ]
    assert len(parse_query("word " * 500)) == 1
    assert len(parse_query(" ".join(f"w{i}" for i in range(50)))) == 8
    # One letter is no prefix: it would start a good part of the dictionary.
    assert parse_query("a*") == [Term(("a",))]
    # A word too long to be one is dropped rather than sent to the database.
    assert parse_query("x" * 100) == []
