// parse_multipart(): a single pass over the body looking for CRLF--boundary lines.
#include "http/multipart.h"

#include <algorithm>
#include <cctype>

#include "http/request.h"

namespace comptoir::http {
namespace {

constexpr size_t kMaxParts = 64;
constexpr size_t kMaxPartHeaderBytes = 8192;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits `a=b; c="d;e"` header parameters, honouring quotes and backslash escapes.
// Calls f(lowercased name, unquoted value) for each.
template <typename F>
void for_each_parameter(std::string_view params, F&& f) {
  size_t i = 0;
  while (i < params.size()) {
    while (i < params.size() && (params[i] == ';' || params[i] == ' ' || params[i] == '\t')) ++i;
    const size_t name_start = i;
    while (i < params.size() && params[i] != '=' && params[i] != ';') ++i;
    const std::string name = lower(trim(params.substr(name_start, i - name_start)));
    std::string value;
    if (i < params.size() && params[i] == '=') {
      ++i;
      while (i < params.size() && params[i] == ' ') ++i;
      if (i < params.size() && params[i] == '"') {
        ++i;
        while (i < params.size() && params[i] != '"') {
          if (params[i] == '\\' && i + 1 < params.size()) ++i;
          value += params[i++];
        }
        ++i;  // closing quote
      } else {
        const size_t v = i;
        while (i < params.size() && params[i] != ';') ++i;
        value = std::string(trim(params.substr(v, i - v)));
      }
    }
    if (!name.empty()) f(name, value);
  }
}

}  // namespace

Result<std::string> multipart_boundary(std::string_view content_type) {
  const size_t semi = content_type.find(';');
  if (lower(trim(content_type.substr(0, semi))) != "multipart/form-data") {
    return Error::invalid("the request must be multipart/form-data with a 'file' field");
  }
  std::string boundary;
  if (semi != std::string_view::npos) {
    for_each_parameter(content_type.substr(semi + 1), [&](const std::string& n, std::string v) {
      if (n == "boundary") boundary = std::move(v);
    });
  }
  if (boundary.empty() || boundary.size() > 200) {
    return Error::invalid("multipart/form-data without a valid boundary parameter");
  }
  return boundary;
}

Result<std::vector<MultipartPart>> parse_multipart(std::string_view content_type,
                                                   std::string_view body) {
  auto boundary = multipart_boundary(content_type);
  COMPTOIR_TRY(boundary);
  const std::string delimiter = "--" + *boundary;
  const std::string separator = "\r\n" + delimiter;

  // The first delimiter may open the body or follow a preamble line.
  size_t pos;
  if (body.starts_with(delimiter)) {
    pos = delimiter.size();
  } else {
    pos = body.find(separator);
    if (pos == std::string_view::npos) return Error::invalid("multipart body without its boundary");
    pos += separator.size();
  }

  std::vector<MultipartPart> parts;
  while (true) {
    if (body.substr(pos, 2) == "--") return parts;  // closing delimiter
    // Transport padding, then CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Error::invalid("malformed multipart delimiter line");
    pos += 2;
    if (parts.size() == kMaxParts) return Error::invalid("too many multipart parts");

    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos || headers_end - pos > kMaxPartHeaderBytes) {
      return Error::invalid("malformed multipart part headers");
    }
    MultipartPart part;
    bool has_disposition = false;
    std::string_view headers = body.substr(pos, headers_end - pos);
    while (!headers.empty()) {
      const size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Error::invalid("malformed multipart part header");
      const std::string name = lower(trim(line.substr(0, colon)));
      const std::string_view value = trim(line.substr(colon + 1));
      if (name == "content-type") {
        part.content_type = std::string(value);
      } else if (name == "content-disposition") {
        const size_t semi = value.find(';');
        if (lower(trim(value.substr(0, semi))) != "form-data") {
          return Error::invalid("multipart part is not form-data");
        }
        has_disposition = true;
        std::optional<std::string> extended;
        if (semi != std::string_view::npos) {
          for_each_parameter(value.substr(semi + 1), [&](const std::string& n, std::string v) {
            if (n == "name") {
              part.name = std::move(v);
            } else if (n == "filename") {
              part.filename = std::move(v);
            } else if (n == "filename*") {
              // RFC 5987: charset'language'percent-encoded
              const size_t q = v.find('\'', v.find('\'') + 1);
              if (q != std::string::npos) extended = percent_decode(v.substr(q + 1), false);
            }
          });
        }
        if (extended) part.filename = std::move(extended);
      }
    }
    if (!has_disposition) return Error::invalid("multipart part without Content-Disposition");

    const size_t data_start = headers_end + 4;
    const size_t data_end = body.find(separator, data_start);
    if (data_end == std::string_view::npos) {
      return Error::invalid("multipart body ends without its closing boundary");
    }
    part.data = body.substr(data_start, data_end - data_start);
    parts.push_back(std::move(part));
    pos = data_end + separator.size();
  }
}

}  // namespace comptoir::http
