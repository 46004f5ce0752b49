// The job queue's wire formats (harness/backends/redis_queue.hpp) and Redis URLs with passwords,
// restated: what the feeder writes, a worker on another host must read back exactly.
#include <gtest/gtest.h>

#include <unistd.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "harness/backends/redis_queue.hpp"
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

// The one script of a chunk's round trip, against a private server: the first result wins, the
// chunk leaves the in-flight list, the next one is taken, `done` rings once, and a late
// acknowledgement of another repetition stores nothing.
class AcknowledgeScript : public ::testing::Test {
 protected:
  void SetUp() override {
    if (ipc::find_redis_server().empty()) GTEST_SKIP() << "no redis-server here";
    server_ = ipc::PrivateRedisServer::shared();
    redis_.emplace(server_->address());
    sha_ = redis_->command("SCRIPT LOAD %s", kAcknowledgeScript);
    redis_->command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  }
  void TearDown() override {
    if (redis_) redis_->command("EVAL %s 0 %s", kRemoveAllScript, keys_.pattern().c_str());
  }
  // Acknowledges `message` ("" for none) of round "1:REP" with `result`, taking the next unless
  // told not to; returns what was taken ("" for nothing).
  std::string call(const std::string& message, const std::string& result, bool take = true,
                   const std::string& round = "1:1") {
    const auto m = Message::parse(message);
    const std::string chunk = m ? std::to_string(m->chunk) : "0";
    return redis_->command_argv({"EVALSHA", sha_, "6", keys_.results(round), in_flight_,
                                 keys_.done(round), keys_.current(), keys_.pending(),
                                 keys_.seen(round), chunk, chunk + " " + result, "2", message,
                                 round, take ? "30000" : "0"});
  }
  std::vector<std::string> list(const std::string& key) {
    return redis_->command_list("LRANGE %s 0 -1", key.c_str());
  }
  std::shared_ptr<ipc::PrivateRedisServer> server_;
  std::optional<ipc::RedisConnection> redis_;
  QueueKeys keys_{"unit-" + std::to_string(getpid())};
  std::string in_flight_ = keys_.in_flight("w");
  std::string sha_;
};

TEST_F(AcknowledgeScript, StoresTheFirstResultTakesTheNextAndRingsDoneOnce) {
  redis_->command("SET %s 1:1 PX 60000", keys_.current().c_str());
  redis_->command("LPUSH %s 1:1:0 1:1:1", keys_.pending().c_str());
  EXPECT_EQ(call("", ""), "1:1:0");  // the prefetch: a take alone
  EXPECT_EQ(list(in_flight_), std::vector<std::string>{"1:1:0"});
  EXPECT_GT(std::stoll(redis_->command("PTTL %s", in_flight_.c_str())), 0);

  EXPECT_EQ(call("1:1:0", "w 7 1000 0.1 0.1"), "1:1:1");
  EXPECT_EQ(list(in_flight_), std::vector<std::string>{"1:1:1"});
  EXPECT_GT(std::stoll(redis_->command("PTTL %s", in_flight_.c_str())), 0);  // kept
  EXPECT_GT(std::stoll(redis_->command("PTTL %s", keys_.results("1:1").c_str())), 0);
  EXPECT_GT(std::stoll(redis_->command("PTTL %s", keys_.seen("1:1").c_str())), 0);
  // Chunk 0 again (redelivered, done twice): the first result stays, nothing is taken.
  EXPECT_EQ(call("1:1:0", "x 9 1000 0.1 0.1", false), "");
  EXPECT_EQ(list(keys_.results("1:1")), std::vector<std::string>{"0 w 7 1000 0.1 0.1"});
  EXPECT_EQ(redis_->command("EXISTS %s", keys_.done("1:1").c_str()), "0");

  EXPECT_EQ(call("1:1:1", "w 8 1000 0.1 0.1"), "");  // the last: nothing left to take
  EXPECT_TRUE(list(in_flight_).empty());
  EXPECT_EQ(list(keys_.results("1:1")),
            (std::vector<std::string>{"0 w 7 1000 0.1 0.1", "1 w 8 1000 0.1 0.1"}));
  EXPECT_EQ(list(keys_.done("1:1")), std::vector<std::string>{"1"});
  EXPECT_GT(std::stoll(redis_->command("PTTL %s", keys_.done("1:1").c_str())), 0);
  EXPECT_EQ(call("1:1:1", "x 8 1000 0.1 0.1", false), "");  // no second ring
  EXPECT_EQ(list(keys_.done("1:1")), std::vector<std::string>{"1"});
}

TEST_F(AcknowledgeScript, ALateAcknowledgementOnlyLeavesTheInFlightList) {
  redis_->command("SET %s 1:2 PX 60000", keys_.current().c_str());
  redis_->command("LPUSH %s 1:1:0", in_flight_.c_str());
  EXPECT_EQ(call("1:1:0", "w 7 1000 0.1 0.1", false, "1:1"), "");
  EXPECT_TRUE(list(in_flight_).empty());
  EXPECT_EQ(
      redis_->command("EXISTS %s %s", keys_.results("1:1").c_str(), keys_.seen("1:1").c_str()),
      "0");
}

// A take into an in-flight list that the acknowledged message was not in (the feeder had put it
// back) makes the list anew, which gets the expiry.
TEST_F(AcknowledgeScript, ATakeIntoANewInFlightListGivesItTheExpiry) {
  redis_->command("SET %s 1:1 PX 60000", keys_.current().c_str());
  redis_->command("LPUSH %s 1:1:1", keys_.pending().c_str());
  EXPECT_EQ(call("1:1:0", "w 7 1000 0.1 0.1"), "1:1:1");
  EXPECT_EQ(list(in_flight_), std::vector<std::string>{"1:1:1"});
  EXPECT_GT(std::stoll(redis_->command("PTTL %s", in_flight_.c_str())), 0);
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
