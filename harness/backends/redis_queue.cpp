#include "harness/backends/redis_queue.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>

#include "harness/records/csv_format.hpp"

namespace parbench::queue {
namespace {

// Kernel arguments travel in one hash field, separated by a byte no argument contains.
constexpr char kArgSeparator = '\x1f';

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::vector<std::string> Description::fields() const {
  std::string joined;
  for (const auto& arg : args) {
    if (!joined.empty()) joined += kArgSeparator;
    joined += arg;
  }
  return {"version",      version,
          "kernel",       kernel,
          "args",         joined,
          "size",         std::to_string(size),
          "chunk",        std::to_string(chunk),
          "config",       std::to_string(config),
          "heartbeat_ms", std::to_string(heartbeat_ms),
          "threads",      std::to_string(threads)};
}

Description Description::parse(const std::vector<std::string>& hgetall) {
  std::map<std::string, std::string> f;
  for (std::size_t i = 0; i + 1 < hgetall.size(); i += 2) f[hgetall[i]] = hgetall[i + 1];
  const auto field = [&](const char* name) -> const std::string& {
    const auto it = f.find(name);
    if (it == f.end()) throw std::runtime_error(fmt::format("the queue has no {}", name));
    return it->second;
  };
  const auto whole = [&](const char* name) {
    const auto v = number(field(name));
    if (!v) throw std::runtime_error(fmt::format("the queue's {} is not a number", name));
    return *v;
  };
  Description d;
  d.version = field("version");
  d.kernel = field("kernel");
  d.args = split_list(field("args"), kArgSeparator);  // none for ""
  d.size = whole("size");
  d.chunk = whole("chunk");
  d.config = whole("config");
  d.heartbeat_ms = static_cast<int>(whole("heartbeat_ms"));
  d.threads = static_cast<int>(whole("threads"));
  if (d.chunk == 0 || d.heartbeat_ms <= 0)
    throw std::runtime_error("the queue's chunk or heartbeat is 0");
  return d;
}

std::vector<std::string> without_server(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--redis" && i + 1 < args.size()) {
      ++i;
    } else if (args[i] == "--join-url" && i + 1 < args.size()) {
      out.insert(out.end(), {args[i], kQueueServer});
      ++i;
    } else {
      out.push_back(args[i]);
    }
  }
  return out;
}

std::vector<std::string> with_server(std::vector<std::string> args, const std::string& url) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--join-url" && args[i + 1] == kQueueServer) args[i + 1] = url;
  }
  return args;
}

Heartbeat::Heartbeat(const ipc::RedisAddress& address, std::string key, int expiry_ms, Also also)
    : thread_([this, address, key = std::move(key), expiry_ms,
               also = std::move(also)](const std::stop_token& stop) {
        std::mutex mutex;
        std::condition_variable_any wake;
        try {
          ipc::RedisConnection beat(address);
          const std::string px = std::to_string(expiry_ms);
          std::unique_lock lock(mutex);
          do {
            beat.command("SET %s 1 PX %s", key.c_str(), px.c_str());
            if (also) also(beat);
          } while (!wake.wait_for(lock, stop, std::chrono::milliseconds(expiry_ms / 4),
                                  [&stop] { return stop.stop_requested(); }));
          beat.command("DEL %s", key.c_str());
        } catch (const std::exception&) {
          // The server is gone, and the owner's own next command says so; or only this
          // connection failed, which the owner learns from failed().
          failed_.store(true, std::memory_order_relaxed);
        }
      }) {}

Heartbeat::Also rejoin_workers(const QueueKeys& keys, std::string worker, std::string expiry_ms,
                               const std::atomic<bool>& joined) {
  // Pipelined, one round trip a beat; SADD after the heartbeat's SET, so that the feeder never
  // finds a member without a heartbeat. The expiry: a set made again after the feeder has gone
  // (its keys removed) goes too.
  return [set = keys.workers(), worker = std::move(worker), expiry_ms = std::move(expiry_ms),
          joined = &joined](ipc::RedisConnection& beat) {
    if (!joined->load(std::memory_order_acquire)) return;
    beat.append("SADD %s %s", set.c_str(), worker.c_str());
    beat.append("PEXPIRE %s %s", set.c_str(), expiry_ms.c_str());
    beat.reply();
    beat.reply();
  };
}

std::string Message::round() const { return fmt::format("{}:{}", config, rep); }
std::string Message::text() const { return fmt::format("{}:{}:{}", config, rep, chunk); }

std::optional<Message> Message::parse(const std::string& text) {
  const auto parts = split_list(text, ':');
  if (parts.size() != 3) return std::nullopt;
  const auto config = number(parts[0]);
  const auto rep = number(parts[1]);
  const auto chunk = number(parts[2]);
  if (!config || !rep || !chunk) return std::nullopt;
  return Message{*config, *rep, *chunk};
}

std::string ChunkResult::text() const {
  return fmt::format("{} {} {} {:.9f} {:.9f}", worker, value, items, busy_s, cpu_s);
}

std::optional<ChunkResult> ChunkResult::parse(const std::string& text) {
  const auto parts = split_list(text, ' ');
  if (parts.size() != 5) return std::nullopt;
  ChunkResult r;
  r.worker = parts[0];
  const auto value = number(parts[1]);
  const auto items = number(parts[2]);
  if (!value || !items) return std::nullopt;
  r.value = *value;
  r.items = *items;
  try {
    r.busy_s = std::stod(parts[3]);
    r.cpu_s = std::stod(parts[4]);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return r;
}

std::string ChunkResult::entry(std::uint64_t chunk) const {
  return fmt::format("{} {}", chunk, text());
}

std::optional<std::pair<std::uint64_t, ChunkResult>> ChunkResult::parse_entry(
    const std::string& entry) {
  const auto space = entry.find(' ');
  if (space == std::string::npos) return std::nullopt;
  const auto chunk = number(std::string_view(entry).substr(0, space));
  auto result = parse(entry.substr(space + 1));
  if (!chunk || !result) return std::nullopt;
  return std::pair{*chunk, std::move(*result)};
}

void append_command(std::string& out, std::initializer_list<std::string_view> words) {
  // to_chars, not fmt: a format string parsed per word was a third of a worker's call
  const auto number = [&out](std::size_t n) {
    char text[24];
    out.append(text, std::to_chars(text, text + sizeof text, n).ptr);
    out += "\r\n";
  };
  out += '*';
  number(words.size());
  for (const std::string_view word : words) {
    out += '$';
    number(word.size());
    out += word;
    out += "\r\n";
  }
}

// Plain commands, not a script: an EVALSHA of the same work cost the server 70.8k instructions a
// chunk (each argument a Lua string, each redis.call a context switch into Lua and out), these
// under half (scripts/queue-server-cost, docs/architecture.md). What the script checked, the
// commands' own forms keep: RPUSHX and XADD NOMKSTREAM never make a repetition's key again once
// the feeder has deleted it (the script compared `current` instead), the feeder counts a chunk's
// first result only (the script's SETBIT seen bit), and the ring is rung by the worker that reads
// a length that says every chunk may have a result (the script rang where RPUSH's length said so).
int append_acknowledgement(std::string& out, const AcknowledgeKeys& keys, std::string_view message,
                           std::string_view entry, bool take) {
  int commands = 0;
  if (!message.empty()) {
    append_command(out, {"RPUSHX", keys.results, entry});
    append_command(out, {"LREM", keys.in_flight, "1", message});
    commands += 2;
  }
  if (take) {
    append_command(out, {"LMOVE", keys.pending, keys.in_flight, "RIGHT", "LEFT"});
    ++commands;
  }
  return commands;
}

void append_expiry(std::string& out, std::string_view in_flight, std::string_view expiry_ms) {
  append_command(out, {"PEXPIRE", in_flight, expiry_ms});
}

void append_ring(std::string& out, std::string_view done) {
  append_command(out, {"XADD", done, "NOMKSTREAM", "*", "ring", "1"});
}

ResultTally::Added ResultTally::add(const std::string& entry) {
  ++read_;
  auto parsed = ChunkResult::parse_entry(entry);
  if (!parsed || parsed->first >= first_.size()) return Added::kMalformed;
  if (first_[parsed->first]) {
    repeat_workers_.push_back(std::move(parsed->second.worker));
    return Added::kAgain;
  }
  first_[parsed->first] = true;
  firsts_.push_back(std::move(*parsed));
  return Added::kFirst;
}

const char* const kRequeueScript =
    "local moved = {} "
    "while true do "
    "local m = redis.call('RPOP', KEYS[1]) "
    "if not m then break end "
    "if string.sub(m, 1, #ARGV[2]) == ARGV[2] then "
    "redis.call('RPUSH', KEYS[2], m) table.insert(moved, m) end "
    "end "
    "redis.call('SREM', KEYS[3], ARGV[1]) "
    "return moved";

const char* const kRenewScript =
    "local p, ttl = ARGV[1], ARGV[2] "
    "for _, k in ipairs({'description', 'current', 'pending', 'workers'}) do "
    "redis.call('PEXPIRE', p .. k, ttl) end "
    "local round = redis.call('GET', p .. 'current') "
    "if round then "
    "redis.call('PEXPIRE', p .. 'results:' .. round, ttl) "
    "redis.call('PEXPIRE', p .. 'done:' .. round, ttl) end "
    "for _, w in ipairs(redis.call('SMEMBERS', p .. 'workers')) do "
    "redis.call('PEXPIRE', p .. 'in-flight:' .. w, ttl) end "
    "return 1";

const char* const kRemoveAllScript =
    "local cursor = '0' "
    "repeat "
    "local r = redis.call('SCAN', cursor, 'MATCH', ARGV[1], 'COUNT', 1000) "
    "cursor = r[1] "
    "for _, k in ipairs(r[2]) do redis.call('DEL', k) end "
    "until cursor == '0' "
    "return 1";

}  // namespace parbench::queue
