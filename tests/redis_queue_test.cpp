// The job queue's wire formats (harness/backends/redis_queue.hpp) and Redis URLs with passwords,
// restated: what the feeder writes, a worker on another host must read back exactly.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "harness/backends/redis_queue.hpp"
#include "harness/backends/redis_queue_session.hpp"
#include "ipc/redis_server.hpp"

namespace parbench::queue {
namespace {

TEST(RedisQueue, DescriptionRoundTripsArgumentsWithSpacesAndEmptyOnes) {
  const Description d{"1.2.3 (abc)", "verify", {"--n", "25", "--label", "a b", ""}, 12, 5, 7, 300};
  const Description back = Description::parse(d.fields());
  EXPECT_EQ(back.version, d.version);
  EXPECT_EQ(back.kernel, "verify");
  EXPECT_EQ(back.args, d.args);
  EXPECT_EQ(back.size, 12u);
  EXPECT_EQ(back.chunk, 5u);
  EXPECT_EQ(back.config, 7u);
  EXPECT_EQ(back.heartbeat_ms, 300);
}

TEST(RedisQueue, DescriptionWithoutArgumentsHasNone) {
  const Description d{"v", "pi", {}, 10, 1, 1, 1000};
  EXPECT_TRUE(Description::parse(d.fields()).args.empty());
}

TEST(RedisQueue, DescriptionMissingOrMalformedFieldsAreRefused) {
  std::vector<std::string> fields = Description{"v", "pi", {}, 10, 1, 1, 1000}.fields();
  std::vector<std::string> no_size;
  for (std::size_t i = 0; i < fields.size(); i += 2) {
    if (fields[i] != "size") no_size.insert(no_size.end(), {fields[i], fields[i + 1]});
  }
  EXPECT_THROW(Description::parse(no_size), std::runtime_error);
  for (std::size_t i = 0; i < fields.size(); i += 2) {
    if (fields[i] == "chunk") fields[i + 1] = "0";
  }
  EXPECT_THROW(Description::parse(fields), std::runtime_error);
}

TEST(RedisQueue, MessagesNameTheirRepetitionAndChunk) {
  const Message m{3, 14, 15926};
  EXPECT_EQ(m.text(), "3:14:15926");
  EXPECT_EQ(m.round(), "3:14");
  const auto back = Message::parse(m.text());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->chunk, 15926u);
  for (const char* bad : {"", "1:2", "1:2:3:4", "a:2:3", "1:2:-3", "1::3"})
    EXPECT_FALSE(Message::parse(bad)) << bad;
}

TEST(RedisQueue, ChunkResultsKeepTheFull64BitValue) {
  const ChunkResult r{"host/42/00ff", 18446744073709551557ULL, 1000, 0.25, 0.125};
  const auto back = ChunkResult::parse(r.text());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->worker, "host/42/00ff");
  EXPECT_EQ(back->value, 18446744073709551557ULL);
  EXPECT_EQ(back->items, 1000u);
  EXPECT_DOUBLE_EQ(back->busy_s, 0.25);
  EXPECT_FALSE(ChunkResult::parse("host 1 2 x 0"));
  EXPECT_FALSE(ChunkResult::parse("host 1 2 3"));
}

TEST(RedisQueue, QueueNamesAreSafeScanPatterns) {
  EXPECT_EQ(check_queue_name("run-1.a_B"), "");
  for (const char* bad : {"", "a*b", "a:b", "a b", "[x]", "a?"})
    EXPECT_NE(check_queue_name(bad), "") << bad;
  EXPECT_NE(check_queue_name(std::string(65, 'a')), "");
  EXPECT_EQ(QueueKeys("q").pattern(), "parbench:queue:q:*");
}

TEST(RedisUrl, APasswordIsKeptOutOfMessagesAndPassedToWorkers) {
  const ipc::RedisAddress a = ipc::parse_redis_url("redis://:s3cret@db.example:6380");
  EXPECT_EQ(a.host, "db.example");
  EXPECT_EQ(a.port, 6380);
  EXPECT_EQ(a.password, "s3cret");
  EXPECT_EQ(a.describe().find("s3cret"), std::string::npos);
  EXPECT_EQ(ipc::parse_redis_url(a.url()).password, "s3cret");
  const ipc::RedisAddress user = ipc::parse_redis_url("redis://alice:pw@h");
  EXPECT_EQ(user.user, "alice");
  EXPECT_EQ(user.port, 6379);
  EXPECT_THROW(ipc::parse_redis_url("redis://:@h"), std::invalid_argument);
  EXPECT_THROW(ipc::parse_redis_url("redis://nopassword@h"), std::invalid_argument);
}

TEST(RedisUrl, IPv6HostsDatabasesAndEncodedPasswords) {
  const ipc::RedisAddress v6 = ipc::parse_redis_url("redis://[::1]:6380/2");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 6380);
  EXPECT_EQ(v6.db, 2);
  EXPECT_EQ(v6.describe(), "redis://[::1]:6380/2");
  EXPECT_EQ(ipc::parse_redis_url("redis://[fe80::1]").port, 6379);
  // '@', ':' and '/' in a password, %-encoded; and back the same way for the workers.
  const ipc::RedisAddress a = ipc::parse_redis_url("redis://al%69ce:p%40ss%3Aw%2Frd@h:1/0");
  EXPECT_EQ(a.user, "alice");
  EXPECT_EQ(a.password, "p@ss:w/rd");
  EXPECT_EQ(a.db, 0);
  EXPECT_EQ(ipc::parse_redis_url(a.url()).password, "p@ss:w/rd");
  // Unencoded, the last '@' still ends the password.
  EXPECT_EQ(ipc::parse_redis_url("redis://:a@b/c?d@h").password, "a@b/c?d");
}

// No message quotes the URL, whatever is wrong with it: it may hold a password.
TEST(RedisUrl, NoMessageHoldsThePassword) {
  for (const char* url :
       {"redis://:SECRET@127.0.0.1:6379/x", "redis://:SECRET@:6379", "redis://:SECRET@h:",
        "redis://:SECRET@h:99999", "rediss://:SECRET@h", "redis://:SECRET@h?x=1",
        "redis://:SECRET@h#f", "redis://:SECRET@::1:6379", "redis://:SECRET@[::1",
        "redis://:SECRET", "redis://SECRET@h", "redis://:SECRET%zz@h", "http://:SECRET@h",
        "unix://:SECRET@x", "redis://:SECRET@h\n", "redis://:p@h?password=SECRET"}) {
    try {
      ipc::parse_redis_url(url);
      ADD_FAILURE() << "accepted " << url;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).find("SECRET"), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

TEST(RedisUrl, PasswordsInQuotedArgumentsAreRedacted) {
  EXPECT_EQ(ipc::redact_url_passwords("not expected: redis://:SECRET@h:1 --redis x"),
            "not expected: redis://***@h:1 --redis x");
  EXPECT_EQ(ipc::redact_url_passwords("a redis://u:p@ss@h b unix:///s c://"),
            "a redis://***@h b unix:///s c://");
}

TEST(RedisQueue, TheServersUrlStaysOutOfTheDescription) {
  const std::vector<std::string> args{
      "--n", "25", "--redis", "redis://:pw@h", "--join-url", "redis://:pw@h", "--join-key", "k"};
  const auto stored = without_server(args);
  EXPECT_EQ(stored,
            (std::vector<std::string>{"--n", "25", "--join-url", kQueueServer, "--join-key", "k"}));
  EXPECT_EQ(with_server(stored, "redis://:pw@other:1"),
            (std::vector<std::string>{"--n", "25", "--join-url", "redis://:pw@other:1",
                                      "--join-key", "k"}));
}

TEST(RedisQueue, EveryKeyOutlivesAHeartbeatByFar) {
  EXPECT_EQ(key_expiry_ms(1000), 30000);
  EXPECT_EQ(key_expiry_ms(60000), 600000);
}

// A chunk's round trip, against a private server: the very commands a worker sends
// (append_acknowledgement), beside what the feeder does (a repetition's keys as begin_round makes
// them, kRequeueScript, ResultTally): the result is stored, the chunk leaves the in-flight list,
// the next one is taken, the in-flight list keeps an expiry, a chunk done twice counts once, the
// ring comes once every chunk may have a result, and a late worker makes no key of a repetition
// that is gone.
class Acknowledgement : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ipc::find_redis_server().empty()) GTEST_SKIP() << "no redis-server here";
    server_ = ipc::PrivateRedisServer::shared();
    redis_.emplace(server_->address());
    requeue_sha_ = redis_->command("SCRIPT LOAD %s", kRequeueScript);
    redis_->command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  }
  void TearDown() override {
    if (redis_) redis_->command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  }
  // The repetition's keys, as the feeder makes them (RedisQueueBackend::begin_round).
  void begin_round() {
    redis_->command("RPUSH %s %s", results_.c_str(), kResultsHead);
    redis_->command("PEXPIRE %s 60000", results_.c_str());
    redis_->command("XADD %s MAXLEN 0 * ring 0", done_.c_str());
    redis_->command("PEXPIRE %s 60000", done_.c_str());
  }
  struct Replies {
    long long length = -1;  // RPUSHX's: -1 where no result went
    std::string taken;      // "" for nothing
  };
  // Worker `worker` acknowledges `message` ("" for none) with value `value`, taking the next
  // unless told not to, in one write that ends with the in-flight list's expiry where it takes;
  // rings where the length says so, as the worker does.
  Replies call(const std::string& worker, const std::string& message, std::uint64_t value,
               bool take = true) {
    const std::string in_flight = keys_.in_flight(worker);
    const auto m = Message::parse(message);
    const std::string entry =
        m ? ChunkResult{worker, value, 1000, 0.1, 0.1}.entry(m->chunk) : std::string();
    std::string out;
    append_acknowledgement(out, {results_, in_flight, pending_}, message, entry, take);
    if (take) append_expiry(out, in_flight, "30000");
    redis_->append_formatted(out);
    Replies r;
    if (!message.empty()) {
      r.length = std::stoll(redis_->reply());
      redis_->reply();  // LREM's
    }
    if (take) {
      r.taken = redis_->reply();
      redis_->reply();  // PEXPIRE's
    }
    if (may_be_complete(r.length, kChunks)) {
      std::string ring;
      append_ring(ring, done_);
      redis_->append_formatted(ring);
      redis_->reply();
    }
    return r;
  }
  std::vector<std::string> list(const std::string& key) {
    return redis_->command_list("LRANGE %s 0 -1", key.c_str());
  }
  long long ttl(const std::string& key) {
    return std::stoll(redis_->command("PTTL %s", key.c_str()));
  }
  long long rings() { return std::stoll(redis_->command("XLEN %s", done_.c_str())); }
  // The feeder's tally of every result pushed so far.
  ResultTally tally() {
    ResultTally t(kChunks);
    for (const auto& entry : redis_->command_list("LRANGE %s 1 -1", results_.c_str()))
      EXPECT_NE(t.add(entry), ResultTally::Added::kMalformed) << entry;
    return t;
  }
  static constexpr std::uint64_t kChunks = 2;
  std::shared_ptr<ipc::PrivateRedisServer> server_;
  std::optional<ipc::RedisConnection> redis_;
  QueueKeys keys_{"unit-" + std::to_string(getpid())};
  std::string results_ = keys_.results("1:1"), done_ = keys_.done("1:1");
  std::string pending_ = keys_.pending();
  std::string requeue_sha_;
};

TEST_F(Acknowledgement, StoresTheResultTakesTheNextAndRingsOnceEveryChunkHasOne) {
  begin_round();
  redis_->command("LPUSH %s 1:1:0 1:1:1", pending_.c_str());
  const std::string in_flight = keys_.in_flight("w");
  EXPECT_EQ(call("w", "", 0).taken, "1:1:0");  // the prefetch: a take alone
  EXPECT_EQ(list(in_flight), std::vector<std::string>{"1:1:0"});
  EXPECT_GT(ttl(in_flight), 0);

  const Replies first = call("w", "1:1:0", 7);
  EXPECT_EQ(first.taken, "1:1:1");
  EXPECT_EQ(first.length, 2);  // the head and one result
  EXPECT_EQ(list(in_flight), std::vector<std::string>{"1:1:1"});
  EXPECT_GT(ttl(in_flight), 0);
  EXPECT_EQ(rings(), 0);

  const Replies last = call("w", "1:1:1", 8);  // the last: nothing left to take
  EXPECT_EQ(last.taken, "");
  EXPECT_TRUE(list(in_flight).empty());
  EXPECT_EQ(list(results_), (std::vector<std::string>{kResultsHead,
                                                      "0 w 7 1000 0.100000000 "
                                                      "0.100000000",
                                                      "1 w 8 1000 0.100000000 0.100000000"}));
  EXPECT_EQ(rings(), 1);
  EXPECT_GT(ttl(done_), 0);  // the feeder's expiry, kept: the ring made no stream
  EXPECT_TRUE(tally().complete());
}

// Worker a takes chunk 0 and is presumed dead: the feeder puts the chunk back, b does it, and a,
// alive after all, acknowledges it too. Two results of chunk 0 on the list: the first counts, and
// the repetition is not complete until chunk 1 has one (counted by entries, it would be).
TEST_F(Acknowledgement, AChunkDoneTwiceAfterARequeueIsCountedOnce) {
  begin_round();
  redis_->command("LPUSH %s 1:1:0 1:1:1", pending_.c_str());
  EXPECT_EQ(call("a", "", 0).taken, "1:1:0");
  const auto moved =
      redis_->command_list("EVALSHA %s 3 %s %s %s a 1:1:", requeue_sha_.c_str(),
                           keys_.in_flight("a").c_str(), pending_.c_str(), keys_.workers().c_str());
  EXPECT_EQ(moved, std::vector<std::string>{"1:1:0"});
  EXPECT_EQ(call("b", "", 0).taken, "1:1:0");
  EXPECT_EQ(call("b", "1:1:0", 7, false).length, 2);
  const Replies late = call("a", "1:1:0", 9);  // a's: chunk 1 taken with it
  EXPECT_EQ(late.length, 3);
  EXPECT_EQ(late.taken, "1:1:1");
  EXPECT_EQ(rings(), 1);  // rung early: the feeder looks, and waits on
  ResultTally early = tally();
  EXPECT_EQ(early.entries_read(), 2u);
  EXPECT_FALSE(early.complete());
  ASSERT_EQ(early.firsts().size(), 1u);
  EXPECT_EQ(early.firsts()[0].second.worker, "b");
  EXPECT_EQ(early.firsts()[0].second.value, 7u);
  EXPECT_EQ(early.repeat_workers(), std::vector<std::string>{"a"});

  EXPECT_EQ(call("a", "1:1:1", 8, false).length, 4);
  EXPECT_EQ(rings(), 2);  // and rung again
  const ResultTally all = tally();
  EXPECT_TRUE(all.complete());
  std::uint64_t sum = 0;
  for (const auto& [chunk, r] : all.firsts()) sum += r.value;
  EXPECT_EQ(sum, 15u);  // 7 + 8: a's 9 for chunk 0 is not counted
}

// The feeder has deleted the repetition's keys: a late acknowledgement only leaves the in-flight
// list, and neither its result nor a ring makes a key again.
TEST_F(Acknowledgement, ALateAcknowledgementMakesNoKeyOfARepetitionThatIsGone) {
  const std::string in_flight = keys_.in_flight("w");
  redis_->command("LPUSH %s 1:1:1", in_flight.c_str());
  EXPECT_EQ(call("w", "1:1:1", 7, false).length, 0);
  std::string ring;
  append_ring(ring, done_);
  redis_->append_formatted(ring);
  EXPECT_EQ(redis_->reply(), "");
  EXPECT_TRUE(list(in_flight).empty());
  EXPECT_EQ(redis_->command("EXISTS %s %s", results_.c_str(), done_.c_str()), "0");
}

// A take into an in-flight list that the acknowledged message was not in (the feeder had put it
// back) makes the list anew, which gets the expiry.
TEST_F(Acknowledgement, ATakeIntoANewInFlightListGivesItTheExpiry) {
  begin_round();
  redis_->command("LPUSH %s 1:1:1", pending_.c_str());
  EXPECT_EQ(call("w", "1:1:0", 7).taken, "1:1:1");
  EXPECT_EQ(list(keys_.in_flight("w")), std::vector<std::string>{"1:1:1"});
  EXPECT_GT(ttl(keys_.in_flight("w")), 0);
}

// Worker a, stalled past its heartbeat's expiry (not dead), is forgotten as the feeder puts its
// chunk back; it resumes, acknowledges and takes chunk 1. Its heartbeat puts it back in the set of
// workers: were it not there, its death while it holds chunk 1 would go unseen, the chunk would
// never be put back, and the feeder would wait for it forever.
TEST_F(Acknowledgement, AWorkerForgottenWhileStalledIsWatchedAgainOnceItBeats) {
  begin_round();
  redis_->command("LPUSH %s 1:1:0 1:1:1", pending_.c_str());
  const auto member = [this] {
    return redis_->command("SISMEMBER %s a", keys_.workers().c_str()) == "1";
  };
  EXPECT_EQ(call("a", "", 0).taken, "1:1:0");
  redis_->command("EVALSHA %s 3 %s %s %s a 1:1:", requeue_sha_.c_str(),
                  keys_.in_flight("a").c_str(), pending_.c_str(), keys_.workers().c_str());
  EXPECT_FALSE(member());                           // forgotten
  EXPECT_EQ(call("a", "1:1:0", 9).taken, "1:1:0");  // resumed: its own chunk, put back, again
  std::atomic<bool> joined{false};
  const Heartbeat beat(server_->address(), keys_.heartbeat("a"), 200,
                       rejoin_workers(keys_, "a", "30000", joined));
  // Not before the worker joined by itself (with its first wait): a beat (every 50 ms here) alone
  // does not put it in the set.
  std::this_thread::sleep_for(std::chrono::milliseconds(150));
  EXPECT_FALSE(member());
  joined = true;
  for (int i = 0; i < 100 && !member(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(member());
  EXPECT_GT(ttl(keys_.workers()), 0);  // a set the worker makes expires like the feeder's keys
}

// A heartbeat whose own connection fails (killed here by the server, as a broken socket would)
// says so, so that its worker stops rather than work on unwatched once the feeder has forgotten it.
TEST_F(Acknowledgement, AHeartbeatWhoseConnectionFailsSaysSo) {
  std::signal(SIGPIPE, SIG_IGN);  // as parbench does (ipc/cleanup.cpp): hiredis writes without
                                  // MSG_NOSIGNAL, and the write to the dead socket must fail
  const std::string key = keys_.heartbeat("b");
  const Heartbeat beat(server_->address(), key, 200);
  for (int i = 0; i < 100 && redis_->command("EXISTS %s", key.c_str()) != "1"; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_FALSE(beat.failed());
  // Every client but this test's own: the heartbeat's.
  redis_->command("CLIENT KILL TYPE normal SKIPME yes");
  for (int i = 0; i < 200 && !beat.failed(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(beat.failed());
}

// A worker of an earlier feeder of the same queue name (interrupted, or ended while the worker ran
// a chunk done twice) knows its configuration by number only: were the next feeder's numbers the
// same, the worker would run that feeder's chunks with the old description (another kernel or
// size) and push their results onto the new repetition's list ("results:1:1" in both), counted.
TEST(RedisQueue, TwoFeedersOfOneQueueNameNumberTheirConfigurationsApart) {
  if (ipc::find_redis_server().empty()) GTEST_SKIP() << "no redis-server here";
  const std::string name = "unit-configs-" + std::to_string(getpid());
  std::uint64_t first = 0;
  {
    FeederSession feeder("", name, 1000);
    first = feeder.begin_configuration();
  }
  FeederSession again("", name, 1000);
  EXPECT_NE(again.begin_configuration(), first);
}

TEST(RedisQueue, ATallyRefusesMalformedResultsAndChunksOutOfRange) {
  ResultTally t(2);
  EXPECT_EQ(t.add("x"), ResultTally::Added::kMalformed);
  EXPECT_EQ(t.add(ChunkResult{"w", 1, 1, 0.0, 0.0}.entry(2)), ResultTally::Added::kMalformed);
  EXPECT_EQ(t.add(ChunkResult{"w", 1, 1, 0.0, 0.0}.entry(1)), ResultTally::Added::kFirst);
  EXPECT_EQ(t.add(ChunkResult{"v", 2, 1, 0.0, 0.0}.entry(1)), ResultTally::Added::kAgain);
  EXPECT_EQ(t.entries_read(), 4u);
  EXPECT_FALSE(t.complete());
}

TEST(RedisQueue, AResultEntryNamesItsChunk) {
  const ChunkResult r{"h/1/ab", 7, 1000, 0.5, 0.25};
  const auto back = ChunkResult::parse_entry(r.entry(12));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->first, 12U);
  EXPECT_EQ(back->second.worker, "h/1/ab");
  EXPECT_EQ(back->second.value, 7U);
  EXPECT_FALSE(ChunkResult::parse_entry("12"));
  EXPECT_FALSE(ChunkResult::parse_entry("x h/1/ab 7 1000 0.5 0.25"));
}

}  // namespace
}  // namespace parbench::queue
