// Linked instead of the CUDA probes when the build found no CUDA compiler, toolkit or NCCL: every
// GPU entry point fails with one clear line; the harness and `comm --backend mpi` still work.
#include <stdexcept>

#include "comm/comm_backend.hpp"
#include "cuda_probes.hpp"

namespace trainplan::probe {

namespace {
[[noreturn]] void unavailable(const char* what) {
  throw std::runtime_error(std::string(what) +
                           ": trainplan-probe was built without CUDA (reconfigure with nvcc, the CUDA toolkit and "
                           "NCCL present, e.g. -DTRAINPLAN_PROBES=ON); only 'comm --backend mpi' is available");
}
}  // namespace

bool built_with_cuda() { return false; }
nlohmann::json open_gpu(int, int) { unavailable("GPU probes"); }
GemmTiming time_gemm(const GemmCase&, GemmDtype, const GemmRunSettings&) { unavailable("gemm"); }
void warm_up_gemm(const GemmCase&, GemmDtype, const GemmRunSettings&, double) { unavailable("gemm"); }
HbmTiming time_hbm(HbmKernel, std::size_t, int, int, bool) { unavailable("hbm"); }
std::unique_ptr<CommBackend> make_nccl_backend(const Group&, const BackendSettings&) { unavailable("comm --backend nccl"); }

}  // namespace trainplan::probe
