#pragma once
#include <string>

namespace bplab_test {

// Set by --fixture-dir; empty when the tests run without it.
inline std::string& fixture_dir() {
    static std::string dir;
    return dir;
}

}  // namespace bplab_test
