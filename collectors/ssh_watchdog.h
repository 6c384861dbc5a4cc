#pragma once
// Bounds blocking libssh calls. libssh 0.10's SFTP layer retries a channel
// read that timed out forever, so SSH_OPTIONS_TIMEOUT alone cannot stop a
// server that goes silent mid-session. The watchdog shuts the socket down
// when no progress was reported for the limit; the blocked call then fails
// and fired() tells the caller it was a timeout.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace appdiag {

class Watchdog {
 public:
  explicit Watchdog(std::chrono::milliseconds limit);
  ~Watchdog();  // stops the thread; never touches the socket afterwards
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Starts (or restarts, on progress) the countdown for socket `fd`.
  void arm(int fd);
  // Stops the countdown.
  void disarm();
  bool fired() const { return fired_; }

 private:
  void run();

  std::chrono::milliseconds limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool armed_ = false;
  bool stop_ = false;
  int fd_ = -1;
  std::chrono::steady_clock::time_point deadline_;
  std::atomic<bool> fired_{false};
  std::thread thread_;
};

// Arms a watchdog for one scope.
class WatchdogScope {
 public:
  WatchdogScope(Watchdog& dog, int fd) : dog_(dog), fd_(fd) { dog_.arm(fd_); }
  ~WatchdogScope() { dog_.disarm(); }
  void progress() { dog_.arm(fd_); }

 private:
  Watchdog& dog_;
  int fd_;
};

}  // namespace appdiag
