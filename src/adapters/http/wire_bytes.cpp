#include "adapters/http/wire_bytes.hpp"

namespace jkjav::http::wire {
namespace {

// The lines every snapshot answer carries, 200 and 304 alike.
std::string snapshotCommonLines(std::string_view etag) {
    std::string lines;
    lines.append(kServerLine).append(kNoSniffLine).append(kSnapshotCacheLine);
    lines.append(kETagName).append(etag).append(kLineEnd);
    return lines;
}

}  // namespace

std::string snapshotHead200(std::string_view etag, std::size_t contentLength) {
    std::string head;
    head.append(kStatus200).append(kJsonContentTypeLine).append(snapshotCommonLines(etag));
    head.append(kContentLengthName).append(std::to_string(contentLength)).append(kLineEnd);
    return head;
}

std::string snapshotHead304(std::string_view etag) {
    return std::string(kStatus304) + snapshotCommonLines(etag);
}

std::string serverBusyReply(std::string_view jsonBody) {
    std::string reply;
    reply.append(kStatus503).append(kServerLine).append(kJsonContentTypeLine).append(kNoStoreLine);
    reply.append(kNoSniffLine).append(kRetryAfter1Line);
    reply.append(kConnectionCloseLine);
    reply.append(kContentLengthName).append(std::to_string(jsonBody.size())).append(kLineEnd);
    reply.append(kLineEnd).append(jsonBody);
    return reply;
}

}  // namespace jkjav::http::wire
