// Redis URLs: parsed, and written back for workers (url) or for messages (describe). A URL may
// hold a password, so no message here quotes any part of it: each says only what is wrong.
#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <stdexcept>

#include "ipc/redis_server.hpp"

namespace parbench::ipc {
namespace {

[[noreturn]] void bad(const std::string& why) {
  throw std::invalid_argument("bad Redis URL: " + why);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes decoded (a password may hold '@', ':' or '/' that way).
std::string decode(const std::string& text, const char* what) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int hi = i + 2 < text.size() ? hex_digit(text[i + 1]) : -1;
    const int lo = hi >= 0 ? hex_digit(text[i + 2]) : -1;
    if (lo < 0) bad(fmt::format("the {} has a '%' that is not a %XX escape", what));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  if (out.find('\0') != std::string::npos) bad(fmt::format("the {} holds a NUL byte", what));
  return out;
}

// The reverse, for url(): every byte but the unreserved ones escaped.
std::string encode(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '.' || c == '_' || c == '~';
    out += plain ? std::string(1, c) : fmt::format("%{:02X}", u);
  }
  return out;
}

// A decimal number from `low` to `high`, or nothing.
std::optional<int> number(std::string_view text, int low, int high) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < low ||
      value > high)
    return std::nullopt;
  return value;
}

// host[:port], the host a name, an IPv4 address or an IPv6 one in brackets.
void parse_host_port(const std::string& text, RedisAddress& a) {
  std::string port;
  if (text.starts_with('[')) {
    const auto close = text.find(']');
    if (close == std::string::npos) bad("an IPv6 host has no closing ']'");
    a.host = text.substr(1, close - 1);
    const std::string after = text.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) bad("something follows the IPv6 host's ']'");
    if (!after.empty()) port = after.substr(1);
    if (a.host.empty() || a.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos)
      bad("the host in brackets is not an IPv6 address");
    if (after.empty()) return;
  } else {
    const auto colon = text.find(':');
    if (colon != std::string::npos && text.find(':', colon + 1) != std::string::npos)
      bad("an IPv6 host goes in brackets, as in redis://[::1]:6379");
    a.host = text.substr(0, colon);
    if (a.host.empty()) bad("it has no host (redis://host[:port])");
    if (colon == std::string::npos) return;
    port = text.substr(colon + 1);
  }
  const auto p = number(port, 1, 65535);
  if (!p) bad("the port is not a number from 1 to 65535");
  a.port = *p;
}

}  // namespace

std::string RedisAddress::describe() const {
  if (!socket_path.empty()) return "unix://" + socket_path;
  const std::string auth = password.empty() ? "" : fmt::format("{}:***@", encode(user));
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return fmt::format("redis://{}{}:{}{}", auth, h, port, db == 0 ? "" : fmt::format("/{}", db));
}

std::string RedisAddress::url() const {
  if (!socket_path.empty()) return "unix://" + socket_path;
  const std::string auth =
      password.empty() ? "" : fmt::format("{}:{}@", encode(user), encode(password));
  const std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return fmt::format("redis://{}{}:{}{}", auth, h, port, db == 0 ? "" : fmt::format("/{}", db));
}

RedisAddress parse_redis_url(const std::string& url) {
  RedisAddress a;
  if (url.empty()) bad("it is empty");
  if (url.find_first_of("\r\n\t ") != std::string::npos) bad("it holds a space or a line break");
  if (url.starts_with("unix://")) {
    a.socket_path = url.substr(7);
    if (!a.socket_path.starts_with('/'))
      bad("a unix:// URL needs an absolute socket path (unix:///path/to/socket)");
    return a;
  }
  if (url.starts_with("rediss://")) bad("rediss:// (TLS) is not supported; use redis://");
  if (!url.starts_with("redis://")) bad("it is redis://host[:port][/db] or unix:///path");
  std::string rest = url.substr(8);
  // The password first, up to the last '@': it may hold '/', '?' or '#' itself.
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string auth = rest.substr(0, at);
    const auto colon = auth.find(':');
    if (colon == std::string::npos || colon + 1 == auth.size())
      bad("it gives its password as redis://:password@host (or user:password@)");
    a.user = decode(auth.substr(0, colon), "user name");
    a.password = decode(auth.substr(colon + 1), "password");
    rest = rest.substr(at + 1);
  }
  if (rest.find_first_of("?#") != std::string::npos)
    bad("it takes no ?query or #fragment (a password goes before the host, %-encoded)");
  const auto slash = rest.find('/');
  if (slash != std::string::npos) {
    const std::string db = rest.substr(slash + 1);
    if (!db.empty()) {
      const auto n = number(db, 0, 1 << 30);
      if (!n) bad("its path is a database number, as in redis://host:6379/0");
      a.db = *n;
    }
    rest = rest.substr(0, slash);
  }
  a.port = 6379;
  parse_host_port(rest, a);
  return a;
}

std::string redact_url_passwords(std::string text) {
  for (auto scheme = text.find("://"); scheme != std::string::npos;
       scheme = text.find("://", scheme + 3)) {
    const auto begin = scheme + 3;
    const auto end = text.find_first_of(" \t\r\n", begin);
    const auto at = text.rfind('@', end == std::string::npos ? text.size() - 1 : end - 1);
    if (at != std::string::npos && at >= begin) text.replace(begin, at - begin, "***");
  }
  return text;
}

}  // namespace parbench::ipc
