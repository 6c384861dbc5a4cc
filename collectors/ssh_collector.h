#pragma once
// Gathers Evidence from an App Service container over SSH (libssh + SFTP).
#include <string>

#include "analyzer/core/evidence.h"
#include "collectors/collect.h"

namespace appdiag {

// url: ssh://[user@]host[:port] (IPv6 as [::1]). Connects, checks the host key
// and authenticates (see ssh_host_key.h, ssh_auth.h), then reads through SFTP
// only, within options' limits (timeouts, --max-log-bytes per log,
// --byte-budget in all):
//  - deploy sources: the newest options.max_deployments
//    <deployments_root>/<id>/log.log, named by their remote path;
//  - platform / app sources: per machine the newest *_docker.log and
//    *_default_docker.log under logs_root, tails starting at a line boundary;
//  - one listing source "<site_root> (ls -laR)": the tree rendered as
//    `ls -laR --time-style=full-iso` text (its open() gives that text, and
//    entry line numbers refer to it) with the small files rules read;
//  - one settings source "<environ_file> (as appsettings.json)": the
//    container's NUL-separated KEY=VALUE environment shown in the JSON form
//    a saved bundle holds, setting lines referring to that text.
// A file or folder that cannot be read goes to Evidence::unreadable and the
// rest is still gathered; limits hit go to Evidence::notes. With
// options.save_bundle, the same bytes are also written there as a bundle
// (LogFiles/, deployments/<id>/log.log, wwwroot-listing.txt,
// wwwroot-files/<path>, appsettings.json redacted unless !options.redact).
// Throws InputError with a one-line reason for refusals (unknown or changed
// host key, authentication failure, connection refused, timeout).
Evidence collect_ssh(const std::string& url, const SshOptions& options);

}  // namespace appdiag
