#pragma once
// Traffic of different parallel kinds that shares a GPU's scale-out links in the same step
// (docs/network-model.md, "Traffic that shares links"). Each kind's collective is costed as if it
// had the NIC and the uplinks above it to itself; in an overlapped step they are not alone:
//  - bursts: exposed traffic on the critical path (expert all-to-all, pipeline sends, the context
//    ring, tensor-parallel collectives) whose group leaves the scale-up domain;
//  - background: hidden traffic running beside compute (the overlapped data-parallel reduction and
//    gather, an overlapped expert exchange) whose group leaves the scale-up domain.
// Fluid model with max-min fair sharing of one path per GPU (its NIC and the uplinks above it):
// the background is spread evenly over the window it runs in (the compute it hides behind plus
// the bursts between), asking a fraction rho = background / window of the path; while a burst runs,
// max-min fairness gives the background min(rho, 1/2) and the burst the rest, so a burst of x
// seconds takes x / (1 - min(rho, 1/2)), and never longer than x plus all the background (work
// conservation). The background is served in full during compute and by what it takes of the
// bursts; what does not fit is exposed. Traffic inside the NVLink domain is in neither sum: it does
// not touch the NIC.
namespace trainplan {

// The kinds of traffic that share the path. A kind's bursts never wait for its own background:
// the exchanges of one kind run one after another on its stream (an expert exchange hidden in the
// paired passes and the one exposed in warm-up and cool-down do not overlap).
enum class LinkKind { tensor, context, expert, pipeline, data, count };
constexpr int kLinkKinds = static_cast<int>(LinkKind::count);

struct SharedLinkLoad {
  double burst_s[kLinkKinds] = {};       // exposed cross-domain traffic per step, as costed alone
  double background_s[kLinkKinds] = {};  // hidden cross-domain traffic per step, as costed alone
  double compute_s = 0;                  // the compute per step the background runs beside
  double& burst(LinkKind k) { return burst_s[static_cast<int>(k)]; }
  double& background(LinkKind k) { return background_s[static_cast<int>(k)]; }
};

struct LinkSharing {
  double burst_extra_s = 0;  // the bursts' extra time on the critical path
  double overflow_s = 0;     // background that no longer fits beside compute and bursts: exposed
  double added_s() const { return burst_extra_s + overflow_s; }
};

// The share the background of demand `background_s` over `window_s` takes from a greedy burst:
// min(rho, 1/2), rho = background / window (max-min fairness); 1/2 for an empty window.
double background_share(double background_s, double window_s);

// Pure, allocation-free; every input >= 0. Each kind's bursts meet the other kinds' background:
// extra_k = x_k rho_k / (1 - rho_k), rho_k = background_share(D - D_k, C + X); all bursts together
// are stretched by no more than the background there is (work conservation), and what of the
// background fits neither beside compute nor in the stretched bursts is exposed:
// overflow = max(0, D - C - extra). So the added time is at most D and 0 when either sum is 0
// (unless the backgrounds together outgrow the compute).
LinkSharing share_links(const SharedLinkLoad& load);

}  // namespace trainplan
