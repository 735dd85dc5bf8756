// Result<T>: expected failures travel as values, not exceptions.
//
// Bad input, a missing index, a backend that is down: these are part of normal
// operation and are returned as an Error holding an engine-level ErrorCode and a
// human message. Only api/ maps ErrorCode to an HTTP status. Exceptions thrown by
// third-party libraries are caught at the adapter that calls them.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace comptoir {

enum class ErrorCode {
  kInvalidArgument,  // the caller's input is wrong (400)
  kNotFound,         // the named thing does not exist (404)
  kConflict,         // it exists already / concurrent change (409)
  kTooLarge,         // input exceeds a configured limit (413)
  kCorruption,       // stored bytes fail their checks
  kIo,               // the operating system refused (disk full, permissions)
  kUnavailable,      // a backend is down or timed out (503)
  kInternal,         // a bug: an invariant did not hold
};

std::string_view error_code_name(ErrorCode code);

// A problem with one field of the caller's input, for validation errors that name
// every failing field at once.
struct FieldError {
  std::string field;
  std::string problem;
};

struct Error {
  ErrorCode code;
  std::string message;
  std::vector<FieldError> fields = {};  // set by validation; empty otherwise

  static Error invalid(std::string m) { return {ErrorCode::kInvalidArgument, std::move(m), {}}; }
  static Error invalid_fields(std::string m, std::vector<FieldError> f) {
    return {ErrorCode::kInvalidArgument, std::move(m), std::move(f)};
  }
  static Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m), {}}; }
  static Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m), {}}; }
  static Error too_large(std::string m) { return {ErrorCode::kTooLarge, std::move(m), {}}; }
  static Error corruption(std::string m) { return {ErrorCode::kCorruption, std::move(m), {}}; }
  static Error io(std::string m) { return {ErrorCode::kIo, std::move(m), {}}; }
  static Error unavailable(std::string m) { return {ErrorCode::kUnavailable, std::move(m), {}}; }
  static Error internal(std::string m) { return {ErrorCode::kInternal, std::move(m), {}}; }
};

// A value or an Error. Access to the wrong alternative is a bug (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok() && "Result::value() on an error");
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok() && "Result::value() on an error");
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok() && "Result::value() on an error");
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    assert(!ok() && "Result::error() on a value");
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(!ok() && "Result::error() on a value");
    return *e_;
  }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;

}  // namespace comptoir

// Propagate an error from an expression returning Result<...>.
#define COMPTOIR_TRY(expr)                                               \
  do {                                                                   \
    auto&& comptoir_try_result_ = (expr);                                \
    if (!comptoir_try_result_.ok()) return comptoir_try_result_.error(); \
  } while (0)
