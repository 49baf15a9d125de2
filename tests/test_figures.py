import pytest

from coach.bank.models import Figure, FigureUnit
from coach.grading.figures import check, describe
from coach.grading.quantities import quantities

WRITES = Figure(quantity="write rate", unit="per_second", value=40, cues=("write", "link"))
READS = Figure(quantity="redirect rate", unit="per_second", value=4000, cues=("read", "redirect"))
STORAGE = Figure(quantity="storage", unit="bytes", value=3e12, cues=("storage", "total"))
FIGURES = (WRITES, READS, STORAGE)
BRIEF = ("100M new short links per month; reads outnumber writes 100 to 1.", "an average long URL is about 500 bytes.")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("about 4,000 writes per second", 4000, "per_second"),
        ("roughly 40 writes/s", 40, "per_second"),
        ("4k reads/s", 4000, "per_second"),
        ("forty thousand requests per second", 40_000, "per_second"),
        ("200k QPS at peak", 200_000, "per_second"),
        ("100M links a month", 100e6 / 2_592_000, "per_second"),
        ("10B messages a day", 10e9 / 86_400, "per_second"),
        ("around 3 TB", 3e12, "bytes"),
        ("half a terabyte", 0.5e12, "bytes"),
        ("1 GB/s in", 1e9, "bytes_per_second"),
        ("1.2 Gbps of egress", 0.15e9, "bytes_per_second"),
        ("2 TB a day", 2e12 / 86_400, "bytes_per_second"),
        ("p99 under 50 ms", 0.05, "seconds"),
        ("six billion links", 6e9, "count"),
    ],
)
def test_numbers_are_read_with_their_units(text, value, unit):
    (q,) = [q for q in quantities(text) if q.unit is FigureUnit(unit)]
    assert q.value == pytest.approx(value, rel=1e-3)


def test_percentages_are_not_estimates_and_small_counts_need_their_noun():
    assert [q.surface for q in quantities("3 replicas in 2 zones give 99.9% availability")] == ["3", "2"]
    servers = Figure(quantity="servers", unit="count", value=300, cues=("server",))
    assert check((servers,), ["We need about 350 servers."], ()).status == "covered"
    assert check((servers,), ["With 3 replicas the servers run hot."], ()).status is None


def test_spoken_units():
    assert [(q.value, q.unit) for q in quantities("somewhere in the 20 to 50 gig range")][-1] == (50e9, FigureUnit.bytes)


def test_a_cue_belongs_to_the_nearest_number():
    result = check((WRITES, READS), ["A hundred million links a month is about forty a second, so around four thousand redirects a second."], BRIEF)
    assert result.status == "covered" and not result.wrong


def test_a_size_of_one_thing_is_not_a_total():
    sizes = [q for q in quantities("six billion links at 500 bytes each is around 3 TB") if q.unit is FigureUnit.bytes]
    assert [(q.surface, q.per_item) for q in sizes] == [("500 bytes", True), ("3 TB", False)]


def test_right_figures_cover_the_point():
    result = check(FIGURES, ["That is about 40 writes and 4k redirects a second.", "Over five years the total storage is around 3 TB."], BRIEF)
    assert result.status == "covered" and result.supporting == (0, 1)


def test_some_figures_make_it_partial_and_say_what_is_missing():
    result = check(FIGURES, ["So roughly 40 writes per second."], BRIEF)
    assert result.status == "partial" and result.missing == (READS, STORAGE)


def test_a_figure_off_by_more_than_three_times_is_wrong():
    result = check(FIGURES, ["100M links a month is roughly 4,000 writes per second."], BRIEF)
    assert result.status == "incorrect"
    (index, number, figure) = result.wrong[0]
    assert (index, number.surface, figure) == (0, "4,000", WRITES)


def test_repeating_the_brief_estimates_nothing():
    assert check(FIGURES, ["We get 100M new links per month."], BRIEF).status is None


def test_a_figure_that_is_in_the_brief_is_estimated_by_repeating_it():
    ops = Figure(quantity="checks", unit="per_second", value=50_000, cues=("check", "request"))
    assert check((ops,), ["The store takes 50k requests per second."], ("About 50k requests per second across 200 API servers.",)).status == "covered"


def test_an_intermediate_step_next_to_the_right_total_is_not_wrong():
    assert check((STORAGE,), ["Six billion links at 500 bytes is 3 TB of total storage."], ()).status == "covered"


def test_a_number_right_for_one_figure_is_not_wrong_for_another():
    result = check((WRITES, READS), ["Writes are 40 per second, so reads run at 4,000 per second."], ())
    assert result.status == "covered" and not result.wrong


def test_a_peak_may_sit_well_above_the_average():
    assert check((WRITES,), ["At peak that could be 300 writes per second."], ()).status == "covered"


def test_a_wider_tolerance_for_figures_that_depend_on_assumptions():
    servers = Figure(quantity="servers", unit="count", value=200, cues=("server",), tolerance=10)
    assert check((servers,), ["That needs 2,000 servers at 10k connections each."], ()).status == "covered"


def test_numbers_without_a_cue_are_only_read_for_a_figure_alone_of_its_unit():
    assert check((WRITES, READS), ["It comes to about 9,000 per second."], ()).status is None
    assert check((WRITES,), ["It comes to about 40 per second."], ()).status == "covered"


def test_describe():
    assert describe(40, FigureUnit.per_second) == "40 per second"
    assert describe(3e12, FigureUnit.bytes) == "3 TB"
    assert describe(1e9, FigureUnit.bytes_per_second) == "1 GB/s"


def test_a_word_starting_with_a_period_letter_is_not_a_rate():
    # "7 characters as the code": the "s" of "as" is not "per second".
    assert all(q.unit is not FigureUnit.per_second for q in quantities("keep the first 7 characters as the code"))
    assert [q.unit for q in quantities("7 links a second")] == [FigureUnit.per_second]


def test_the_brief_s_own_rate_in_other_units_is_no_wrong_estimate_of_another_figure():
    from coach.bank.models import Figure, FigureUnit

    fan_out = Figure(quantity="fan-out write rate", unit=FigureUnit.per_second, value=115741, cues=("write", "insert", "fan"), basis="50M x 200 / 86,400")
    brief = ["Users open the feed about 10 times a day; 50M new posts per day."]
    said = ["50M posts a day is about 600 writes/s.", "Fan-out on write is 50M x 200 = 10 billion feed inserts a day, ~115k/s."]
    result = check([fan_out], said, brief)
    assert not result.wrong and result.estimated == (fan_out,)
    # A what-if at ten times the load is not today's estimate either.
    assert not check([fan_out], ["At 10x that's over 1M fan-out inserts/s."], brief).wrong
    # ... but a plain wrong fan-out rate still is.
    assert check([fan_out], ["Fan-out is about 1,000 inserts a second."], brief).wrong
