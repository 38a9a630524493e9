// Linked into every program of the TSan build only (JKJAV_TSAN). librdkafka starts its threads
// with C11 thrd_create, which GCC 12's ThreadSanitizer does not intercept: such a thread is unknown
// to TSan and crashes on its first allocation. This definition takes precedence over glibc's and
// starts the thread through pthread_create, which TSan does intercept. glibc's thrd_join and
// thrd_detach take the same detour, so TSan also sees the threads end (thrd_t is pthread_t; the
// start function's int comes back through the pointer-sized result).
#include <pthread.h>
#include <threads.h>

#include <cerrno>
#include <cstdint>
#include <new>

namespace {

struct ThreadStart {
    thrd_start_t function;
    void* argument;
};

void* runThread(void* raw) {
    const ThreadStart start = *static_cast<ThreadStart*>(raw);
    delete static_cast<ThreadStart*>(raw);
    return reinterpret_cast<void*>(static_cast<std::intptr_t>(start.function(start.argument)));
}

}  // namespace

extern "C" int thrd_create(thrd_t* thread, thrd_start_t function, void* argument) {
    auto* start = new (std::nothrow) ThreadStart{function, argument};
    if (start == nullptr) return thrd_nomem;
    const int error = pthread_create(thread, nullptr, runThread, start);
    if (error == 0) return thrd_success;
    delete start;
    return error == ENOMEM ? thrd_nomem : thrd_error;
}

extern "C" int thrd_join(thrd_t thread, int* result) {
    void* value = nullptr;
    if (pthread_join(thread, &value) != 0) return thrd_error;
    if (result != nullptr) *result = static_cast<int>(reinterpret_cast<std::intptr_t>(value));
    return thrd_success;
}

extern "C" int thrd_detach(thrd_t thread) { return pthread_detach(thread) == 0 ? thrd_success : thrd_error; }
