// The job queue's wire formats (harness/backends/redis_queue.hpp) and Redis URLs with passwords,
// restated: what the feeder writes, a worker on another host must read back exactly.
#include <gtest/gtest.h>

#include <stdexcept>

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

}  // namespace
}  // namespace parbench::queue
