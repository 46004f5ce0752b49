// A minimal streaming JSON writer (objects, arrays, strings, numbers, booleans): all that the JSON
// reporter and `parbench info --json` need, without a dependency outside Debian's usual set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace parbench {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(double number);
  JsonWriter& value(std::uint64_t number);
  JsonWriter& value(int number);
  JsonWriter& value(bool flag);
  JsonWriter& null();
  const std::string& str() const { return out_; }

 private:
  void separate();
  void open(char bracket);
  void close(char bracket);
  std::string out_;
  std::vector<bool> has_items_;  // per open container
  bool after_key_ = false;
};

}  // namespace parbench
