// spdlog's default logger, written into a string for the test's lifetime (then restored): the log
// lines a test asserts on. Safe from any thread.
#pragma once

#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <mutex>
#include <string>

namespace jkjav::testing {

class CapturedLog {
  public:
    CapturedLog() : previous_(spdlog::default_logger()), sink_(std::make_shared<StringSink>()) {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
    }
    ~CapturedLog() { spdlog::set_default_logger(previous_); }
    CapturedLog(const CapturedLog&) = delete;
    CapturedLog& operator=(const CapturedLog&) = delete;

    [[nodiscard]] std::string text() const { return sink_->text(); }
    [[nodiscard]] bool contains(const std::string& part) const {
        return text().find(part) != std::string::npos;
    }

  private:
    class StringSink final : public spdlog::sinks::base_sink<std::mutex> {
      public:
        std::string text() {
            const std::lock_guard lock(mutex_);
            return text_;
        }

      protected:
        void sink_it_(const spdlog::details::log_msg& message) override {
            spdlog::memory_buf_t line;
            formatter_->format(message, line);
            text_.append(line.data(), line.size());
        }
        void flush_() override {}

      private:
        std::string text_;
    };

    std::shared_ptr<spdlog::logger> previous_;
    std::shared_ptr<StringSink> sink_;
};

}  // namespace jkjav::testing
