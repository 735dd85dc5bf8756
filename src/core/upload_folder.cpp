// secure_filename() with ICU normalisation, and the atomic no-overwrite store.
#include "core/upload_folder.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "util/random_id.h"

namespace comptoir {
namespace {

constexpr size_t kMaxNameBytes = 120;

std::string to_ascii_nfkd(std::string_view name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  std::string utf8;
  if (U_SUCCESS(status)) {
    icu::UnicodeString decomposed =
        nfkd->normalize(icu::UnicodeString::fromUTF8(
                            icu::StringPiece(name.data(), static_cast<int32_t>(name.size()))),
                        status);
    if (U_SUCCESS(status)) decomposed.toUTF8String(utf8);
  }
  if (!U_SUCCESS(status)) utf8 = std::string(name);
  std::string ascii;
  for (char c : utf8) {
    if (static_cast<unsigned char>(c) < 0x80) ascii += c;
  }
  return ascii;
}

bool is_windows_device_name(std::string_view stem) {
  static constexpr std::array<std::string_view, 22> kNames = {
      "CON",  "PRN",  "AUX",  "NUL",  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7",
      "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"};
  std::string upper(stem);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (auto n : kNames) {
    if (upper == n) return true;
  }
  return false;
}

Status sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return Error::io(fmt::format("cannot open {}: {}", dir.string(), std::strerror(errno)));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error::io(fmt::format("fsync {}: {}", dir.string(), std::strerror(errno)));
  return {};
}

}  // namespace

std::string secure_filename(std::string_view name) {
  std::string ascii = to_ascii_nfkd(name);
  for (char& c : ascii) {
    if (c == '/' || c == '\\') c = ' ';
  }
  // Whitespace runs become one '_'; only [A-Za-z0-9._-] survive.
  std::string out;
  bool pending_space = false;
  for (char c : ascii) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      pending_space = !out.empty();
      continue;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') continue;
    if (pending_space) out += '_';
    pending_space = false;
    out += c;
  }
  const size_t first = out.find_first_not_of("._");
  if (first == std::string::npos) return "";
  out = out.substr(first, out.find_last_not_of("._") - first + 1);

  const size_t dot = out.find('.');
  if (is_windows_device_name(out.substr(0, dot))) out = "_" + out;
  if (out.size() > kMaxNameBytes) {
    const size_t ext = out.rfind('.');
    std::string extension =
        ext != std::string::npos && out.size() - ext <= 10 ? out.substr(ext) : "";
    out = out.substr(0, kMaxNameBytes - extension.size()) + extension;
  }
  return out;
}

Status UploadFolder::sync(std::string_view stored_name) {
  const std::filesystem::path path = dir_ / std::string(stored_name);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error::io(fmt::format("cannot open {}: {}", path.string(), std::strerror(errno)));
  const bool synced = ::fsync(fd) == 0;
  const std::string why = synced ? "" : std::strerror(errno);
  ::close(fd);
  if (!synced) return Error::io(fmt::format("cannot sync {}: {}", path.string(), why));
  return sync_directory(dir_);
}

namespace {

// `data` in a new temporary file of `dir`; its path.
Result<std::filesystem::path> write_temp(const std::filesystem::path& dir, std::string_view data) {
  const std::filesystem::path temp = dir / (".upload-" + random_hex_id() + ".tmp");
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0)
    return Error::io(fmt::format("cannot create {}: {}", temp.string(), std::strerror(errno)));
  size_t written = 0;
  while (written < data.size()) {
    const ssize_t n = ::write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return Error::io(fmt::format("cannot write {}: {}", temp.string(), why));
    }
    written += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    return Error::io(fmt::format("cannot write {}: {}", temp.string(), std::strerror(errno)));
  }
  return temp;
}

}  // namespace

Result<std::string> UploadFolder::reserve(std::string_view name) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Error::io(fmt::format("cannot create {}: {}", dir_.string(), ec.message()));
  const std::string base(name);
  const size_t dot = base.find('.') == 0 ? std::string::npos : base.find('.');
  const std::string stem = base.substr(0, dot);
  const std::string extension = dot == std::string::npos ? "" : base.substr(dot);
  for (int attempt = 0; attempt < 10000; ++attempt) {
    const std::string candidate =
        attempt == 0 ? base : fmt::format("{}_{}{}", stem, attempt, extension);
    const std::filesystem::path target = dir_ / candidate;
    const int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::close(fd);
      return candidate;
    }
    if (errno != EEXIST)
      return Error::io(fmt::format("cannot store {}: {}", target.string(), std::strerror(errno)));
  }
  return Error::conflict(fmt::format("too many uploads named {}", base));
}

Status UploadFolder::fill(std::string_view reserved_name, std::string_view data) {
  auto temp = write_temp(dir_, data);
  COMPTOIR_TRY(temp);
  const std::filesystem::path target = dir_ / std::string(reserved_name);
  if (::rename(temp->c_str(), target.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    ::unlink(temp->c_str());
    return Error::io(fmt::format("cannot store {}: {}", target.string(), why));
  }
  return {};
}

Status UploadFolder::remove(std::string_view name) {
  if (secure_filename(name) != name || name.empty()) {
    return Error::invalid(fmt::format("'{}' is not a stored file name", name));
  }
  const std::filesystem::path target = dir_ / std::string(name);
  if (::unlink(target.c_str()) != 0) {
    if (errno == ENOENT) return Error::not_found(fmt::format("no uploaded file named '{}'", name));
    return Error::io(fmt::format("cannot remove {}: {}", target.string(), std::strerror(errno)));
  }
  return sync_directory(dir_);
}

}  // namespace comptoir
