#include "analyzer/core/worker_threads.h"

#include <algorithm>
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

size_t thread_count(int jobs, size_t items) {
  size_t wanted = jobs > 0 ? static_cast<size_t>(jobs) : std::max(1u, std::thread::hardware_concurrency());
  return std::max<size_t>(1, std::min(wanted, items));
}

}  // namespace appdiag
