"""GET /api/dashboard and GET /api/results against the real binary: the
specification's keys, zeros on empty indices, numbers equal to an independent
computation with Python's csv module on the real Online Retail files of
../shared/data and on generated logs, validation errors, and X-Cache with
invalidation by uploads."""
import csv
import datetime as dt
import io
import json
import os
from collections import defaultdict

import pytest
import requests

from conftest import ServerProcess

DATA = os.environ.get("COMPTOIR_SHARED_DATA",
                      os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))
RETAIL = sorted(
    os.path.join(DATA, "ecommerce", f) for f in
    (os.listdir(os.path.join(DATA, "ecommerce")) if os.path.isdir(os.path.join(DATA, "ecommerce"))
     else []) if f.startswith("online_retail") and f.endswith(".csv"))


def need_data():
    if RETAIL:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the shared data folder {DATA} is required under CI")
    pytest.skip(f"no Online Retail files in {DATA}")


def upload(srv, name, content, ctype="text/csv"):
    r = requests.post(srv.url + "/api/upload", files={"file": (name, content, ctype)})
    assert r.status_code == 200, r.text
    return r.json()


@pytest.fixture(scope="module")
def empty():
    s = ServerProcess()
    yield s
    s.cleanup()


def test_empty_indices_give_zeros(empty):
    r = requests.get(empty.url + "/api/dashboard")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["total_logs"] == 0 and d["logs_today"] == 0 and d["error_logs"] == 0
    assert d["files_uploaded"] == 0 and d["by_level"] == [] and d["recent_logs"] == []
    assert len(d["by_day"]) == 30 and all(day["count"] == 0 for day in d["by_day"])
    assert d["by_day"][-1]["date"] == dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    r = requests.get(empty.url + "/api/results")
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["summary"] == {"total_revenue": 0.0, "total_orders": 0, "avg_order_value": 0.0,
                              "unique_customers": 0, "total_lines": 0}
    assert res["by_country"] == [] and res["top_products"] == [] and res["over_time"] == []


@pytest.mark.parametrize("query", ["days=0", "days=367", "days=abc", "days=-1"])
def test_dashboard_validation(empty, query):
    r = requests.get(empty.url + "/api/dashboard?" + query)
    assert r.status_code == 400, r.text
    assert "days" in r.text


@pytest.mark.parametrize("query,field", [("interval=year", "interval"),
                                         ("start_date=yesterday", "start_date"),
                                         ("end_date=2024-13-01", "end_date")])
def test_results_validation(empty, query, field):
    r = requests.get(empty.url + "/api/results?" + query)
    assert r.status_code == 400, r.text
    assert field in r.text


def expected_sales(paths, country=None):
    """Independent figures: revenue = Quantity x UnitPrice summed over every line
    (cancellations are negative), distinct invoices and customers."""
    revenue = 0.0
    invoices, customers = set(), set()
    by_country = defaultdict(lambda: [0.0, set()])
    by_product = defaultdict(lambda: [0.0, 0.0, set()])
    lines = 0
    for p in paths:
        with open(p, newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if country and row["Country"].lower() != country.lower():
                    continue
                lines += 1
                amount = float(row["Quantity"]) * float(row["UnitPrice"])
                revenue += amount
                invoices.add(row["InvoiceNo"])
                if row["CustomerID"].strip():
                    customers.add(row["CustomerID"].strip().split(".")[0])
                c = by_country[row["Country"]]
                c[0] += amount
                c[1].add(row["InvoiceNo"])
                prod = by_product[row["Description"].strip()]
                prod[0] += amount
                prod[1] += float(row["Quantity"])
                prod[2].add(row["InvoiceNo"])
    return revenue, invoices, customers, by_country, by_product, lines


@pytest.fixture(scope="module")
def retail():
    need_data()
    s = ServerProcess()
    for p in RETAIL:
        with open(p, "rb") as f:
            body = upload(s, os.path.basename(p), f.read())
        assert body["documents_rejected"] == 0, body["errors"]
        assert body["indices"] == {"ecommerce-sales": body["documents_indexed"]}
    yield s
    s.cleanup()


def test_results_match_an_independent_computation(retail):
    revenue, invoices, customers, by_country, by_product, lines = expected_sales(RETAIL)
    r = requests.get(retail.url + "/api/results")
    assert r.status_code == 200, r.text
    res = r.json()
    s = res["summary"]
    assert s["total_lines"] == lines
    assert s["total_revenue"] == round(revenue, 2)
    assert s["total_orders"] == len(invoices)
    assert s["unique_customers"] == len(customers)
    assert s["avg_order_value"] == round(revenue / len(invoices), 2)
    got = {c["country"]: c for c in res["by_country"]}
    assert set(got) == set(by_country)
    for name, (rev, orders) in by_country.items():
        assert got[name]["revenue"] == round(rev, 2), name
        assert got[name]["orders"] == len(orders), name
    assert [c["revenue"] for c in res["by_country"]] == sorted(
        (c["revenue"] for c in res["by_country"]), reverse=True)
    top = sorted(by_product.items(), key=lambda kv: (-kv[1][0], kv[0]))[:10]
    assert [p["product"] for p in res["top_products"]] == [name for name, _ in top]
    for p, (name, (rev, qty, orders)) in zip(res["top_products"], top):
        assert p["revenue"] == round(rev, 2) and p["quantity"] == qty
        assert p["orders"] == len(orders)
    # A continuous daily series whose sums are the total.
    days = [d["date"] for d in res["over_time"]]
    assert days == sorted(days) and len(days) == len(set(days))
    assert round(sum(d["revenue"] for d in res["over_time"]), 2) == pytest.approx(
        round(revenue, 2), abs=0.01 * len(days))


def test_results_filters_and_interval(retail):
    revenue, invoices, *_ = expected_sales(RETAIL, country="France")
    r = requests.get(retail.url + "/api/results", params={"country": "france", "interval": "month"})
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["summary"]["total_revenue"] == round(revenue, 2)
    assert res["summary"]["total_orders"] == len(invoices)
    assert [c["country"] for c in res["by_country"]] == ["France"]
    assert [d["date"] for d in res["over_time"]] == ["2010-12-01"]
    # A date window outside the data gives zeros, never an error.
    r = requests.get(retail.url + "/api/results",
                     params={"start_date": "2011-06-01", "end_date": "2011-06-30"})
    assert r.status_code == 200 and r.json()["summary"]["total_orders"] == 0


def generated_logs(today):
    """Events today, yesterday and 40 days ago, with a known level mix."""
    rows = []
    for i in range(30):
        level = ["ERROR", "INFO", "WARN"][i % 3]
        rows.append({"timestamp": (today + dt.timedelta(minutes=i)).isoformat(),
                     "level": level, "service": "svc", "message": f"event {i}", "user": f"u{i}"})
    for i in range(12):
        rows.append({"timestamp": (today - dt.timedelta(hours=12, minutes=i)).isoformat(),
                     "level": "ERROR" if i < 4 else "DEBUG", "service": "svc",
                     "message": f"older {i}", "user": "u"})
    for i in range(5):
        rows.append({"timestamp": (today - dt.timedelta(days=40)).isoformat(),
                     "level": "INFO", "service": "svc", "message": f"old {i}", "user": "u"})
    return rows


def test_dashboard_numbers_on_generated_logs(start_server):
    srv = start_server()
    midnight = dt.datetime.now(dt.timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = generated_logs(midnight)
    body = "\n".join(json.dumps(r) for r in rows).encode()
    upload(srv, "events.ndjson", body, "application/x-ndjson")
    r = requests.get(srv.url + "/api/dashboard")
    assert r.status_code == 200, r.text
    assert r.headers["X-Cache"] == "MISS"
    d = r.json()
    assert d["total_logs"] == len(rows)
    now = dt.datetime.now(dt.timezone.utc)
    today_rows = [x for x in rows if dt.datetime.fromisoformat(x["timestamp"]) >= midnight]
    # Rows "today" written after now are still today (events can arrive with a clock skew).
    assert d["logs_today"] == len(today_rows)
    assert d["error_logs"] == sum(1 for x in rows if x["level"] == "ERROR")
    levels = defaultdict(int)
    for x in rows:
        levels["WARNING" if x["level"] == "WARN" else x["level"]] += 1
    assert {b["level"]: b["count"] for b in d["by_level"]} == dict(levels)
    assert [b["count"] for b in d["by_level"]] == sorted(levels.values(), reverse=True)
    assert len(d["by_day"]) == 30
    by_day = {b["date"]: b["count"] for b in d["by_day"]}
    assert by_day[now.strftime("%Y-%m-%d")] == len(today_rows)
    yesterday = (midnight - dt.timedelta(days=1)).strftime("%Y-%m-%d")
    assert by_day[yesterday] == 12
    assert sum(by_day.values()) == 42  # the 40-day-old events are outside the window
    assert d["files_uploaded"] == 1
    recent = d["recent_logs"]
    assert len(recent) == 10
    assert set(recent[0]) >= {"timestamp", "level", "service", "message", "user"}
    stamps = [x["timestamp"] for x in recent]
    assert stamps == sorted(stamps, reverse=True)
    assert recent[0]["message"] == "event 29"
    # Cached until the data changes.
    r2 = requests.get(srv.url + "/api/dashboard")
    assert r2.headers["X-Cache"] == "HIT" and r2.json() == d
    r3 = requests.get(srv.url + "/api/dashboard?days=7")
    assert r3.headers["X-Cache"] == "MISS" and len(r3.json()["by_day"]) == 7
    upload(srv, "more.ndjson", json.dumps(rows[0] | {"message": "new"}).encode(),
           "application/x-ndjson")
    r4 = requests.get(srv.url + "/api/dashboard")
    assert r4.headers["X-Cache"] == "MISS" and r4.json()["total_logs"] == len(rows) + 1


def test_dashboard_in_another_time_zone(start_server):
    srv = start_server(COMPTOIR_TIMEZONE="Pacific/Kiritimati")  # UTC+14
    now = dt.datetime.now(dt.timezone.utc)
    row = {"timestamp": now.isoformat(), "level": "INFO", "service": "s", "message": "m"}
    upload(srv, "one.ndjson", json.dumps(row).encode(), "application/x-ndjson")
    d = requests.get(srv.url + "/api/dashboard?days=2").json()
    local_today = (now + dt.timedelta(hours=14)).strftime("%Y-%m-%d")
    assert d["by_day"][-1] == {"date": local_today, "count": 1}
    assert d["logs_today"] == 1 and d["timezone"] == "Pacific/Kiritimati"
