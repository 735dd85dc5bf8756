// Every endpoint Comptoir serves: method, path, handler. Handlers live in one file
// per resource.
#include "api/routes.h"

#include "api/analytics.h"
#include "api/cache.h"
#include "api/export_csv.h"
#include "api/orders.h"
#include "api/products.h"
#include "api/search.h"
#include "api/search_history.h"
#include "api/system.h"
#include "api/upload.h"

namespace comptoir::api {

using boost::beast::http::verb;

void register_routes(http::Router& router, ApiContext& ctx) {
  auto bind = [&ctx](http::Response (*handler)(ApiContext&, http::Request&)) {
    return [&ctx, handler](http::Request& req) { return handler(ctx, req); };
  };
  // System
  router.add(verb::get, "/", bind(get_root));
  router.add(verb::get, "/health", bind(get_health));
  router.add(verb::get, "/api/services-status", bind(get_services_status));
  // Catalogue
  router.add(verb::get, "/api/products", bind(get_products));
  router.add(verb::post, "/api/products", bind(post_product));
  router.add(verb::get, "/api/products/<id>", bind(get_product));
  router.add(verb::put, "/api/products/<id>", bind(put_product));
  router.add(verb::delete_, "/api/products/<id>", bind(delete_product));
  router.add(verb::get, "/api/orders", bind(get_orders));
  router.add(verb::post, "/api/orders", bind(post_order));
  router.add(verb::get, "/api/orders/<id>", bind(get_order));
  router.add(verb::put, "/api/orders/<id>", bind(put_order));
  router.add(verb::delete_, "/api/orders/<id>", bind(delete_order));
  // Log search and export
  router.add(verb::post, "/api/search", bind(post_search));
  router.add(verb::get, "/api/export/csv", bind(get_export_csv));
  // Analytics
  router.add(verb::get, "/api/dashboard", bind(get_dashboard));
  router.add(verb::get, "/api/results", bind(get_results));
  // Saved searches
  router.add(verb::post, "/api/search/save", bind(post_search_save));
  router.add(verb::get, "/api/search/history", bind(get_search_history));
  // Files
  router.add(verb::post, "/api/upload", bind(post_upload));
  router.add(verb::get, "/api/files", bind(get_files));
  router.add(verb::get, "/api/files/<filename>", bind(get_file));
  router.add(verb::delete_, "/api/files/<filename>", bind(delete_file));
  // Cache
  router.add(verb::post, "/api/cache", bind(post_cache_entry));
  router.add(verb::get, "/api/cache/stats", bind(get_cache_stats));
  router.add(verb::get, "/api/cache/<key>", bind(get_cache_entry));
  router.add(verb::delete_, "/api/cache/<key>", bind(delete_cache_entry));
}

}  // namespace comptoir::api
