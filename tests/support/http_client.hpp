// A small blocking HTTP/1.1 client over a real socket, for black-box tests of the server.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <string>

namespace jkjav::testing {

struct HttpReply {
    int status = 0;                              // 0: no answer (connection refused or closed)
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;

    [[nodiscard]] boost::json::value json() const;
    [[nodiscard]] std::string header(const std::string& lowerCaseName) const;
};

// One keep-alive connection, opened again for the next request once the server closed it. A request
// that gets no answer has status 0: never retried, except a GET or HEAD on a reused connection the
// server had already closed (no byte of an answer came back).
class HttpClient {
  public:
    explicit HttpClient(int port);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    HttpReply get(const std::string& target, const std::map<std::string, std::string>& headers = {});
    HttpReply postJson(const std::string& target, const std::string& body);
    HttpReply request(const std::string& method, const std::string& target, const std::string& body,
                      const std::map<std::string, std::string>& headers);

  private:
    struct Connection;
    int port_;
    std::unique_ptr<Connection> connection_;
};

// A booking body with every field valid; tests change the one they are about.
std::string bookingBody(const std::string& id, const std::string& location, const std::string& date,
                        const std::string& phone = "012-3456789");

// A distinct, valid MyKad number for person n (n < 1'000'000).
std::string myKadFor(int n);

}  // namespace jkjav::testing
