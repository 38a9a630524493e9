// Every response byte written by hand rather than by Beast: the fast paths' status lines and
// headers (snapshot answers, the SERVER_BUSY refusal, 100 Continue, the connection endings).
// A header line here must say the same as the Beast-built answers of api routes (Server, nosniff).
#pragma once

#include <string>
#include <string_view>

namespace jkjav::http::wire {

inline constexpr std::string_view kLineEnd = "\r\n";
inline constexpr std::string_view kFieldSeparator = ": ";
inline constexpr std::string_view kVersion10 = "HTTP/1.0 ";  // before the status code
inline constexpr std::string_view kVersion11 = "HTTP/1.1 ";

inline constexpr std::string_view kStatus200 = "HTTP/1.1 200 OK\r\n";
inline constexpr std::string_view kStatus304 = "HTTP/1.1 304 Not Modified\r\n";
inline constexpr std::string_view kStatus503 = "HTTP/1.1 503 Service Unavailable\r\n";
// The interim answer to `Expect: 100-continue`, complete with its blank line.
inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

inline constexpr std::string_view kServerLine = "Server: jkjav\r\n";
inline constexpr std::string_view kJsonContentTypeLine = "Content-Type: application/json\r\n";
inline constexpr std::string_view kNoSniffLine = "X-Content-Type-Options: nosniff\r\n";
// Availability: a CDN may keep it a second, which absorbs a crowd.
inline constexpr std::string_view kSnapshotCacheLine = "Cache-Control: public, max-age=1\r\n";
inline constexpr std::string_view kNoStoreLine = "Cache-Control: no-store\r\n";
inline constexpr std::string_view kRetryAfter1Line = "Retry-After: 1\r\n";
inline constexpr std::string_view kConnectionCloseLine = "Connection: close\r\n";
inline constexpr std::string_view kETagName = "ETag: ";
inline constexpr std::string_view kContentLengthName = "Content-Length: ";
// printf format of the stale-snapshot header: its value is the snapshot's age in seconds.
inline constexpr const char* kSnapshotAgeFormat = "X-Snapshot-Age: %lld\r\n";

// How a prepared answer's head ends (the blank line included), chosen per request.
inline constexpr std::string_view kEndClose = "Connection: close\r\n\r\n";
inline constexpr std::string_view kEndKeepAlive10 = "Connection: keep-alive\r\n\r\n";  // HTTP/1.0 asks for it
inline constexpr std::string_view kEndKeepAlive11 = "\r\n";                            // HTTP/1.1's default

// The snapshot answers' heads up to (not including) the Date line and the ending.
std::string snapshotHead200(std::string_view etag, std::size_t contentLength);
std::string snapshotHead304(std::string_view etag);

// The whole answer to a connection over MAX_CONNECTIONS: 503, Retry-After: 1, closed.
std::string serverBusyReply(std::string_view jsonBody);

}  // namespace jkjav::http::wire
