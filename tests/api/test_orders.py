"""GET/POST /api/orders and GET/PUT/DELETE /api/orders/<id>."""
import pytest
import requests


@pytest.fixture
def api(start_server):
    return start_server().url + "/api/orders"


def create(api, **fields):
    r = requests.post(api, json=fields)
    assert r.status_code == 201, r.text
    return r.json()


def test_specification_shape(api):
    create(api, order_id="ORD001", customer="John Doe", total=1299.99, date="2025-12-23")
    body = requests.get(api).json()
    assert body["count"] == 1
    assert body["orders"] == [{"order_id": "ORD001", "customer": "John Doe", "total": 1299.99,
                               "date": "2025-12-23"}]


def test_crud(api):
    o = create(api, customer="Ann", total=10, date="2025-01-02T10:30:00Z",
               items=[{"product_id": "1", "quantity": 2}])
    oid = o["order_id"]
    assert requests.get(f"{api}/{oid}").json() == o
    r = requests.put(f"{api}/{oid}", json={"customer": "Ann", "total": 12.5, "date": "2025-01-02"})
    assert r.status_code == 200 and r.json()["total"] == 12.5
    assert requests.delete(f"{api}/{oid}").json() == {"message": "order deleted", "order_id": oid}
    assert requests.get(f"{api}/{oid}").status_code == 404


def test_filters(api):
    days = ["2025-12-01", "2025-12-10T23:59:59", "2025-12-11", "2025-12-23T08:00:00+01:00",
            "2025-12-24"]
    for i, d in enumerate(days):
        create(api, order_id=f"O{i}", customer="John Doe" if i % 2 else "Jane Roe", total=i,
               date=d)

    def ids(**params):
        r = requests.get(api, params=params)
        assert r.status_code == 200, r.text
        return [o["order_id"] for o in r.json()["orders"]]

    assert ids(customer="John Doe") == ["O1", "O3"]
    assert ids(start_date="2025-12-10", end_date="2025-12-23") == ["O1", "O2", "O3"]
    assert ids(end_date="2025-12-10") == ["O0", "O1"]  # inclusive through the day
    assert ids(start_date="2025-12-24") == ["O4"]
    assert ids(customer="Jane Roe", start_date="2025-12-02") == ["O2", "O4"]


@pytest.mark.parametrize("body,fields", [
    ({}, {"customer", "total", "date"}),
    ({"customer": "A", "total": -1, "date": "2025-01-01"}, {"total"}),
    ({"customer": "A", "total": 1, "date": "2025-02-30"}, {"date"}),
    ({"customer": "A", "total": 1, "date": "23/12/2025"}, {"date"}),
    ({"customer": "A", "total": 1, "date": "2025-12-23T25:00:00"}, {"date"}),
    ({"customer": "A", "total": 1, "date": 20251223}, {"date"}),
    ({"customer": "A", "total": 1, "date": "2025-12-23", "order_id": "a b"}, {"order_id"}),
])
def test_validation(api, body, fields):
    r = requests.post(api, json=body)
    assert r.status_code == 400
    assert set(r.json()["fields"]) == fields


@pytest.mark.parametrize("params", [{"start_date": "yesterday"}, {"end_date": "2025-13-01"},
                                    {"page": "-1"}])
def test_invalid_query_parameters(api, params):
    assert requests.get(api, params=params).status_code == 400
