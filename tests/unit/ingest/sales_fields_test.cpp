// Tests for sales layouts: recognition by header and the canonical sales fields.
#include "ingest/sales_fields.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest_test_support.h"

namespace comptoir::ingest {
namespace {

using testing::parse;
using testing::str;

constexpr const char* kOrderHeader =
    "timestamp,order_id,customer_id,customer_name,customer_email,customer_ip,customer_country,"
    "customer_city,product_id,product_name,product_category,quantity,unit_price,total_amount,"
    "payment_method,order_status,shipping_method\n";

TEST(SalesLayouts, RecognisedByHeader) {
  auto names = [](std::initializer_list<std::string_view> l) {
    return std::vector<std::string_view>(l);
  };
  EXPECT_EQ(SalesFieldMap::resolve(names({"InvoiceNo", "StockCode", "Description", "Quantity",
                                          "InvoiceDate", "UnitPrice", "CustomerID", "Country"}))
                .layout(),
            SalesLayout::kOnlineRetail);
  EXPECT_EQ(SalesFieldMap::resolve(names({"Invoice", "StockCode", "Description", "Quantity",
                                          "InvoiceDate", "Price", "Customer ID", "Country"}))
                .layout(),
            SalesLayout::kOnlineRetail);
  EXPECT_EQ(SalesFieldMap::resolve(names({"order_id", "total_amount", "timestamp"})).layout(),
            SalesLayout::kOrderExport);
  EXPECT_EQ(SalesFieldMap::resolve(names({"timestamp", "level", "message"})).layout(),
            SalesLayout::kNone);
  EXPECT_EQ(SalesFieldMap::resolve(names({"order_id", "note"})).layout(), SalesLayout::kNone);
}

TEST(SalesOrderExport, CanonicalFields) {
  auto p = parse(std::string(kOrderHeader) +
                     "2025-12-23T10:30:00Z,ORD-1,C42,Ann,a@x.io,10.0.0.1,France,Paris,P1,Laptop,"
                     "Electronics,2,499.5,999,credit_card,completed,express\n",
                 "orders.csv");
  ASSERT_TRUE(p->summary.ok()) << p->summary.error().message;
  EXPECT_EQ(p->summary->kind, DocumentKind::kSalesLine);
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(p->sink.entries[0].index, "ecommerce-sales");
  EXPECT_EQ(p->sink.entries[0].kind, DocumentKind::kSalesLine);
  const auto& d = p->doc(0);
  EXPECT_EQ(str(d, "@timestamp"), "2025-12-23T10:30:00.000Z");
  EXPECT_EQ(str(d, "order_id"), "ORD-1");
  EXPECT_EQ(str(d, "customer_id"), "C42");
  EXPECT_EQ(str(d, "country"), "France");
  EXPECT_EQ(str(d, "product"), "Laptop");
  EXPECT_EQ(str(d, "category"), "Electronics");
  EXPECT_EQ(d.at("quantity").as_int64(), 2);
  EXPECT_EQ(d.at("unit_price").as_double(), 499.5);
  EXPECT_EQ(d.at("revenue").as_double(), 999.0);  // total_amount wins
  EXPECT_EQ(str(d, "payment_method"), "credit_card");
  EXPECT_EQ(str(d, "status"), "completed");
  EXPECT_EQ(str(d, "customer_email"), "a@x.io");  // originals kept
  EXPECT_EQ(str(d, "source_format"), "csv");
}

TEST(SalesOnlineRetail, UsDatesCancellationsAndFloatCustomerIds) {
  auto p = parse(
      "Invoice;StockCode;Description;Quantity;InvoiceDate;Price;Customer ID;Country\n"
      "536365;85123A;WHITE HANGING HEART;6;12/1/2010 8:26;2.55;17850.0;United Kingdom\n"
      "C536379;D;Discount;-1;12/1/2010 9:41;27.5;14527.0;United Kingdom\n"
      "536370;22728;ALARM CLOCK;24;12/1/2010 8:45;3.75;;France\n",
      "retail_ii.txt");
  ASSERT_TRUE(p->summary.ok()) << p->summary.error().message;
  EXPECT_EQ(p->summary->format, Format::kCsv);
  ASSERT_EQ(p->size(), 3u);
  const auto& a = p->doc(0);
  EXPECT_EQ(str(a, "@timestamp"), "2010-12-01T08:26:00.000Z");
  EXPECT_EQ(str(a, "order_id"), "536365");
  EXPECT_EQ(str(a, "customer_id"), "17850");
  EXPECT_EQ(str(a, "product"), "WHITE HANGING HEART");
  EXPECT_EQ(a.at("revenue").as_double(), 15.3);
  EXPECT_EQ(str(a, "status"), "completed");
  EXPECT_FALSE(a.contains("category"));
  const auto& c = p->doc(1);
  EXPECT_EQ(str(c, "status"), "cancelled");
  EXPECT_EQ(c.at("quantity").as_int64(), -1);
  EXPECT_EQ(c.at("revenue").as_double(), -27.5);
  EXPECT_FALSE(p->doc(2).contains("customer_id"));
  EXPECT_EQ(str(p->doc(2), "Invoice"), "536370");  // a column mixing C-invoices stays text
}

TEST(SalesRejections, NumbersAndDatesThatCannotBeRead) {
  auto p = parse(
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "1,A,x,six,2010-12-01 08:26:00,2.55,1,UK\n"
      "2,A,x,6,2010-12-01 08:26:00,=1+1,1,UK\n"
      "3,A,x,6,someday,2.55,1,UK\n"
      "4,A,x,,2010-12-01 08:26:00,2.55,1,UK\n"
      ",A,x,1,2010-12-01 08:26:00,2.55,1,UK\n"
      "6,A,x,2,2010-12-01 08:26:00,1.25,1,UK\n",
      "bad_sales.csv");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->documents, 1u);
  EXPECT_EQ(p->summary->rejected, 5u);
  const auto& e = p->summary->errors;
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[0].line, 2u);
  EXPECT_EQ(e[0].reason, "Quantity 'six' is not a number");
  EXPECT_EQ(e[1].reason, "UnitPrice '=1+1' is not a number");
  EXPECT_EQ(e[2].reason, "InvoiceDate 'someday' is not a date in a known form");
  EXPECT_EQ(e[3].reason, "Quantity is missing");
  EXPECT_EQ(e[4].reason, "InvoiceNo is missing");
  EXPECT_EQ(p->doc(0).at("revenue").as_double(), 2.5);
}

TEST(SalesJson, OrderExportAsNdjson) {
  auto p = parse(
      "{\"timestamp\":\"2025-12-23 "
      "10:30:00\",\"order_id\":\"O1\",\"quantity\":3,\"unit_price\":1.5,"
      "\"customer_country\":\"DE\"}\n"
      "{\"timestamp\":\"2025-12-23 "
      "10:31:00\",\"order_id\":\"O2\",\"quantity\":\"x\",\"unit_price\":1}\n",
      "orders.ndjson");
  ASSERT_TRUE(p->summary.ok());
  EXPECT_EQ(p->summary->kind, DocumentKind::kSalesLine);
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(p->doc(0).at("revenue").as_double(), 4.5);
  EXPECT_EQ(str(p->doc(0), "country"), "DE");
  ASSERT_EQ(p->summary->rejected, 1u);
  EXPECT_EQ(p->summary->errors[0].line, 2u);
}

TEST(SalesZone, LocalSaleTimesUseTheConfiguredZone) {
  IngestOptions o;
  o.time_zone = "Europe/London";
  auto p =
      parse(std::string(kOrderHeader) + "2025-07-01 12:00:00,O,C,,,,,,,,,1,1,1,,,\n", "o.csv", o);
  ASSERT_TRUE(p->summary.ok());
  ASSERT_EQ(p->size(), 1u);
  EXPECT_EQ(str(p->doc(0), "@timestamp"), "2025-07-01T11:00:00.000Z");
}

}  // namespace
}  // namespace comptoir::ingest
