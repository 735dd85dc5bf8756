"""GET/POST /api/products and GET/PUT/DELETE /api/products/<id>."""
import pytest
import requests


@pytest.fixture
def api(start_server):
    return start_server().url + "/api/products"


def create(api, **fields):
    r = requests.post(api, json=fields)
    assert r.status_code == 201, r.text
    return r.json()


def test_specification_shape(api):
    create(api, id="1", name="Laptop HP", price=799.99, category="Electronics")
    r = requests.get(api)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    assert body["products"] == [{"id": "1", "name": "Laptop HP", "price": 799.99,
                                 "category": "Electronics"}]
    assert '"price":799.99' in r.text  # printed as written, not 7.9999E2


def test_create_get_replace_delete(api):
    r = requests.post(api, json={"id": 7, "name": "Mouse", "price": 19.5, "stock": 3,
                                 "tags": ["usb", "wireless"]})
    assert r.status_code == 201
    assert r.headers["Location"] == "/api/products/7"
    created = r.json()
    assert created["id"] == "7"  # numeric ids are stored as text
    assert requests.get(f"{api}/7").json() == created

    r = requests.put(f"{api}/7", json={"name": "Mouse Pro", "price": 29.0})
    assert r.status_code == 200
    assert r.json() == {"name": "Mouse Pro", "price": 29.0, "id": "7"}
    assert requests.get(f"{api}/7").json()["name"] == "Mouse Pro"

    r = requests.delete(f"{api}/7")
    assert r.status_code == 200
    assert r.json() == {"message": "product deleted", "id": "7"}
    assert requests.get(f"{api}/7").status_code == 404
    assert requests.delete(f"{api}/7").status_code == 404
    assert requests.put(f"{api}/7", json={"name": "x", "price": 1}).status_code == 404


def test_generated_id(api):
    p = create(api, name="Desk", price=120)
    assert len(p["id"]) == 16
    assert requests.get(f"{api}/{p['id']}").json()["name"] == "Desk"


def test_duplicate_id_is_409(api):
    create(api, id="dup", name="A", price=1)
    r = requests.post(api, json={"id": "dup", "name": "B", "price": 2})
    assert r.status_code == 409
    assert r.json()["status"] == 409
    assert requests.get(f"{api}/dup").json()["name"] == "A"


@pytest.mark.parametrize("body,fields", [
    ({}, {"name", "price"}),
    ({"name": "A"}, {"price"}),
    ({"name": "", "price": 1}, {"name"}),
    ({"name": "A", "price": -0.01}, {"price"}),
    ({"name": "A", "price": "12"}, {"price"}),
    ({"name": "A", "price": True}, {"price"}),
    ({"name": 5, "price": 1}, {"name"}),
    ({"name": "A", "price": 1, "category": 3}, {"category"}),
    ({"id": "../../etc/passwd", "name": "A", "price": 1}, {"id"}),
    ({"id": "a" * 129, "name": "A", "price": 1}, {"id"}),
    ({"id": [1], "name": "A", "price": 1}, {"id"}),
    ({"name": "A", "price": 1, "_id": "x"}, {"_id"}),
    ({"name": "x" * 1001, "price": 1}, {"name"}),
])
def test_validation_names_every_failing_field(api, body, fields):
    r = requests.post(api, json=body)
    assert r.status_code == 400
    assert set(r.json()["fields"]) == fields


@pytest.mark.parametrize("data", [b"", b"{", b"[1,2]", b"\"text\"", b"{\"name\": \"\xff\"}",
                                  b"{\"name\":\"A\",\"price\":1}garbage"])
def test_malformed_bodies_are_400(api, data):
    r = requests.post(api, data=data, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]


def test_put_with_another_id_in_body_is_400(api):
    create(api, id="a", name="A", price=1)
    r = requests.put(f"{api}/a", json={"id": "b", "name": "A", "price": 1})
    assert r.status_code == 400
    assert r.json()["fields"] == {"id": "must match the id in the URL"}


def test_filters_and_paging(api):
    for i in range(30):
        create(api, id=f"p{i:02d}", name=f"{'Laptop' if i % 3 == 0 else 'Cable'} {i}",
               price=float(i * 10), category="Electronics" if i % 2 == 0 else "Office")
    def get(**params):
        r = requests.get(api, params=params)
        assert r.status_code == 200, r.text
        return r.json()

    assert get()["count"] == 30
    assert get(category="Office")["count"] == 15
    assert get(q="laptop")["count"] == 10  # case-insensitive substring of the name
    assert get(min_price=100, max_price=200)["count"] == 11
    assert get(category="Electronics", q="LAP", max_price=150)["count"] == 3
    page = get(size=7, page=2)
    assert page["count"] == 30  # all matches, not the page length
    assert [p["id"] for p in page["products"]] == [f"p{i:02d}" for i in range(7, 14)]
    assert get(size=7, page=5)["products"] == [p for p in get()["products"]][28:]
    assert get(page=100)["products"] == []
    assert get(category="Nothing") == {"count": 0, "products": [], "page": 1, "size": 100}


@pytest.mark.parametrize("params,field", [
    ({"page": "0"}, "page"), ({"page": "x"}, "page"), ({"size": "0"}, "size"),
    ({"size": "1001"}, "size"), ({"min_price": "cheap"}, "min_price"),
    ({"max_price": "nan"}, "max_price"), ({"q": "x" * 1001}, "q"),
])
def test_invalid_query_parameters_are_400(api, params, field):
    r = requests.get(api, params=params)
    assert r.status_code == 400
    assert field in r.json()["fields"]


def test_hostile_input_is_just_data(api):
    create(api, id="h1", name="Robert'); DROP TABLE documents;--", price=1,
           category="' OR '1'='1")
    assert requests.get(api, params={"q": "'; DROP TABLE documents; --"}).json()["count"] == 0
    assert requests.get(api, params={"category": "' OR '1'='1"}).json()["count"] == 1
    assert requests.get(api, params={"q": "%_"}).json()["count"] == 0
    assert requests.get(f"{api}/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert requests.get(api).json()["count"] == 1


def test_unicode_round_trip(api):
    p = create(api, id="u1", name="Café crème ☕ 東京", price=3.5, category="Boissons")
    assert requests.get(f"{api}/u1").json() == p
    assert requests.get(api, params={"q": "crème"}).json()["count"] == 1
