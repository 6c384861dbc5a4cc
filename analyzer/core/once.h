#pragma once
// std::call_once that no exception crosses. An exception leaving the function
// unwinds through glibc's pthread_once, and under an address-space limit
// (ulimit -v) glibc cannot load the unwinder it needs there and aborts the
// process ("libgcc_s.so.1 must be installed"). Here the function's exception
// (bad_alloc) is kept and thrown again to every caller, outside pthread_once.
#include <exception>
#include <mutex>

namespace appdiag {

class Once {
 public:
  template <class F>
  void operator()(F&& f) const {
    std::call_once(flag_, [&] {
      try {
        f();
      } catch (...) {
        error_ = std::current_exception();
      }
    });
    if (error_) std::rethrow_exception(error_);
  }

 private:
  mutable std::once_flag flag_;
  mutable std::exception_ptr error_;
};

}  // namespace appdiag
