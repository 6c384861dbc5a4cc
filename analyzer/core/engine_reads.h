#pragma once
// The event ids of rules/events/ and the capture names the C++ reads by name:
// current state, deployment status and the startup prediction. They are
// named here, once, and the pack loader checks that each exists in a pack
// loaded whole (problems engine-event, engine-capture), so renaming one in
// the JSON cannot silently turn a piece of the report off.
#include <string_view>

namespace appdiag::reads {

// Events.
inline constexpr std::string_view kSiteReady = "site-ready";
inline constexpr std::string_view kGunicornListening = "gunicorn-listening";
inline constexpr std::string_view kWorkerBoot = "worker-boot";
inline constexpr std::string_view kDeploySucceeded = "deploy-succeeded";
inline constexpr std::string_view kDeployFailed = "deploy-failed";
inline constexpr std::string_view kBuildError = "build-error";
inline constexpr std::string_view kAppCommandLine = "app-command-line";
inline constexpr std::string_view kFrameworkDetected = "framework-detected";
inline constexpr std::string_view kGunicornCommand = "gunicorn-command";
inline constexpr std::string_view kAppPath = "app-path";
inline constexpr std::string_view kPythonVersion = "python-version";

// Captures (named groups) of those events.
inline constexpr std::string_view kCaptureCommand = "command";      // app-command-line
inline constexpr std::string_view kCaptureFramework = "framework";  // framework-detected
inline constexpr std::string_view kCaptureModule = "module";        // gunicorn-command
inline constexpr std::string_view kCaptureAppPath = "app_path";     // app-path
inline constexpr std::string_view kCapturePython = "python";        // python-version (banner)
inline constexpr std::string_view kCapturePythonV = "python_v";     // python-version (Oryx's "Python version :")

inline constexpr std::string_view kEvents[] = {kSiteReady,       kGunicornListening, kWorkerBoot,
                                               kDeploySucceeded, kDeployFailed,      kBuildError,
                                               kAppCommandLine,  kFrameworkDetected, kGunicornCommand,
                                               kAppPath,         kPythonVersion};

struct CaptureRead {
  std::string_view event;
  std::string_view capture;
};
inline constexpr CaptureRead kCaptures[] = {{kAppCommandLine, kCaptureCommand}, {kFrameworkDetected, kCaptureFramework},
                                            {kGunicornCommand, kCaptureModule}, {kAppPath, kCaptureAppPath},
                                            {kPythonVersion, kCapturePython},   {kPythonVersion, kCapturePythonV}};

}  // namespace appdiag::reads
