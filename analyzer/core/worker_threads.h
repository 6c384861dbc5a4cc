#pragma once
// Runs one piece of work on several threads: the calling thread and up to
// count - 1 more. Under an address-space limit (ulimit -v) a new thread's stack
// may not fit; the threads that did start (at least the caller) do the work
// instead of the process aborting on an unjoined std::thread.
#include <cstddef>
#include <functional>

namespace appdiag {

// `work` must take its items from a shared queue until it is empty; it must not
// throw (catch and hand the exception back). Returns how many threads ran it.
size_t run_on_threads(size_t count, const std::function<void()>& work);

// Threads for `items` pieces of work: `jobs` when positive, else one per
// core; never more than the items, never fewer than one.
size_t thread_count(int jobs, size_t items);

}  // namespace appdiag
