#pragma once
// One error style for the whole tool: exceptions carrying a complete one-line
// message that already names the file (and line, where there is one).
#include <cstdint>
#include <stdexcept>
#include <string>

namespace appdiag {

// Bad input or usage: the command prints what() and exits with code 2.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "file:line: message" (line omitted when 0).
std::string located(const std::string& file, uint64_t line, const std::string& message);

}  // namespace appdiag
