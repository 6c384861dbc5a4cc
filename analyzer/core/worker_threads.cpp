#include "analyzer/core/worker_threads.h"

#include <system_error>
#include <thread>
#include <vector>

namespace appdiag {

size_t run_on_threads(size_t count, const std::function<void()>& work) {
  std::vector<std::thread> pool;
  pool.reserve(count > 1 ? count - 1 : 0);
  for (size_t t = 1; t < count; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no room for another thread: go on with those that started
    }
  }
  work();
  for (std::thread& t : pool) t.join();
  return pool.size() + 1;
}

}  // namespace appdiag
