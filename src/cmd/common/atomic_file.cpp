#include "cmd/common/atomic_file.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace jkjav::cmd {

bool writeAtomically(const std::string& path, const std::string& content) {
    // The process id keeps two writers of the same path (a restart racing its predecessor's exit)
    // from sharing a temporary file.
    const std::string temporary = path + ".tmp." + std::to_string(getpid());
    {
        std::ofstream file(temporary, std::ios::trunc);
        if (!(file << content << '\n' << std::flush)) {
            std::remove(temporary.c_str());
            return false;
        }
    }
    if (std::rename(temporary.c_str(), path.c_str()) != 0) {
        std::remove(temporary.c_str());
        return false;
    }
    return true;
}

}  // namespace jkjav::cmd
