"""Arbitrary JSON batches never make the server answer 500, and rejected ones write nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.test_observations import counts

text = st.one_of(
    st.sampled_from(["rate", "count", "hidden", "A1", "B1", "2024", "2024/25", "x", ""]), st.text(max_size=12)
)
number = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False), st.integers(-(10**12), 10**12))
item = st.fixed_dictionaries(
    {"indicator": text, "area": text, "period": text},
    optional={
        "value": number,
        "numerator": number,
        "denominator": number,
        "breakdown": st.dictionaries(st.sampled_from(["ses", "gender", "x y"]), text, max_size=2),
        "suppressed": st.booleans(),
        "provisional": st.booleans(),
        "note": st.one_of(st.none(), st.text(max_size=30)),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(item, min_size=1, max_size=5))
def test_arbitrary_batches_are_answered_without_server_errors(world, as_user, db, batch):
    before = counts(db)
    response = world.put("/api/v1/observations", json={"observations": batch}, headers=as_user("alice"))
    assert response.status_code in (200, 403, 422), response.text
    if response.status_code != 200:
        assert counts(db) == before
