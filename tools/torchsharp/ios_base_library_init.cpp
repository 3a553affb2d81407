// std::ios_base_library_init() is what GCC 13's <iostream> calls to set up the standard streams; TorchSharp 0.107's
// libLibTorchSharp.so was built with it, and GCC 12's libstdc++ (Debian 12) does not define it. Constructing an
// ios_base::Init does the same work (it is what every translation unit including <iostream> did before GCC 13).
#include <ios>
namespace std { void ios_base_library_init() { static ios_base::Init init; } }
