#include "export_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>

#include "adapters/record_fields.hpp"
#include "adapters/redis/redis_keys.hpp"
#include "adapters/redis/redis_record.hpp"
#include "admin_format.hpp"
#include "exit_codes.hpp"
#include "status_report.hpp"

namespace jkjav::cmd {

namespace {

constexpr std::string_view kScanCount = "1000";

// Writes bookings in one format; the columns are the record's described fields, in order.
class BookingWriter {
  public:
    BookingWriter(std::FILE* out, bool csv) : out_(out), csv_(csv) {}

    void header() {
        if (!csv_) return;
        std::string line;
        domain::Booking names;
        adapters::forEachField(names, [&](std::string_view name, const std::string&) {
            if (!line.empty()) line += ',';
            line += name;
        });
        line += "\r\n";
        std::fwrite(line.data(), 1, line.size(), out_);
    }

    void row(domain::Booking& booking) {
        line_.clear();
        if (csv_) {
            adapters::forEachField(booking, [&](std::string_view, const std::string& value) {
                if (!line_.empty()) line_ += ',';
                line_ += csvField(value);
            });
            line_ += "\r\n";  // RFC 4180's line break
        } else {
            boost::json::object object;
            adapters::forEachField(
                booking, [&](std::string_view name, const std::string& value) { object[name] = value; });
            line_ = boost::json::serialize(object);
            line_ += '\n';
        }
        std::fwrite(line_.data(), 1, line_.size(), out_);
    }

  private:
    std::FILE* out_;
    bool csv_;
    std::string line_;
};

// The export's progress on stderr, only when that is a terminal (never in a pipe or a log file).
class Progress {
  public:
    explicit Progress(long long expected) : expected_(expected), shown_(isatty(STDERR_FILENO) == 1) {}

    void update(long long done, bool last = false) {
        if (!shown_) return;
        const auto now = std::chrono::steady_clock::now();
        if (!last && now - drawn_ < std::chrono::milliseconds(100)) return;
        drawn_ = now;
        std::fprintf(stderr, "\r%s%s", progressBar(done, std::max(expected_, done), 40).c_str(),
                     last ? "\n" : "");
    }

  private:
    long long expected_;
    bool shown_;
    std::chrono::steady_clock::time_point drawn_{};
};

struct CloseFile {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

}  // namespace

CLI::App* addExportCommand(CLI::App& app, ExportOptions& options) {
    auto* command = app.add_subcommand(
        "export",
        "Every booking, streamed, as CSV (with a header) or JSON lines. PERSONAL DATA: the export holds each "
        "booking whole (id, names, address, phone number): it is the record. Keep the file as you keep the "
        "database. Bookings made or cancelled while it runs may or may not be in it");
    command->add_option("--format", options.format, "csv or jsonl")
        ->required()
        ->check(CLI::IsMember({"csv", "jsonl"}));
    command->add_option("--output", options.output, "File to write (default: standard output)");
    return command;
}

int runExport(AdminSession& session, const ExportOptions& options) {
    const redis::RedisKeys keys;
    std::unique_ptr<std::FILE, CloseFile> file;
    std::FILE* out = stdout;
    if (!options.output.empty()) {
        file.reset(std::fopen(options.output.c_str(), "w"));
        if (!file) {
            std::fprintf(stderr, "jkjav-admin export: cannot write %s: %s\n", options.output.c_str(),
                         std::strerror(errno));
            return kExitFailed;
        }
        out = file.get();
    }
    static char buffer[1 << 20];
    std::setvbuf(out, buffer, _IOFBF, sizeof buffer);

    // Bookings held, from the counters: the progress bar's 100%.
    const auto status = readStatus(session, keys, std::chrono::system_clock::now());
    long long expected = 0;
    if (status) {
        for (const auto& slot : status->slots) expected += slot.booked();
    }
    Progress progress(expected);
    BookingWriter writer(out, options.format == "csv");
    writer.header();

    const std::string match = keys.booking("*");
    auto scan = session.command({"SCAN", "0", "MATCH", match, "COUNT", kScanCount});
    long long written = 0;
    while (scan && !scan->view().isError()) {
        const std::string_view cursor = scan->view()[0].text();
        const redis::ReplyView found = scan->view()[1];
        // One round trip per batch: its HGETALLs and the next SCAN together.
        for (std::size_t i = 0; i < found.size(); ++i) session.queue({"HGETALL", found[i].text()});
        const bool more = cursor != "0";
        if (more) session.queue({"SCAN", cursor, "MATCH", match, "COUNT", kScanCount});
        for (std::size_t i = 0; i < found.size(); ++i) {
            const auto fields = session.nextReply();
            if (!fields) {
                scan.reset();
                break;
            }
            if (fields->view().size() == 0) continue;  // cancelled since the SCAN saw it
            domain::Booking booking;
            redis::assignFromPairs(booking, fields->view());
            writer.row(booking);
            ++written;
        }
        progress.update(written);
        if (!scan || !more) break;
        scan = session.nextReply();
    }
    if (!scan || scan->view().isError()) {
        std::fprintf(stderr, "\njkjav-admin export: Redis at %s failed after %lld bookings: %s\n",
                     session.where().c_str(), written,
                     scan ? std::string(scan->view().text()).c_str() : session.error().c_str());
        return kExitFailed;
    }
    progress.update(written, true);
    if (std::fflush(out) != 0 || std::ferror(out) != 0) {
        std::fprintf(stderr, "jkjav-admin export: writing %s failed: %s\n",
                     options.output.empty() ? "standard output" : options.output.c_str(),
                     std::strerror(errno));
        return kExitFailed;
    }
    std::fprintf(stderr, "exported %lld bookings as %s to %s\n", written, options.format.c_str(),
                 options.output.empty() ? "standard output" : options.output.c_str());
    return kExitOk;
}

}  // namespace jkjav::cmd
