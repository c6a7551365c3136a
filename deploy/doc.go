// Package deploy holds svgai's container image definition (Dockerfile) and
// its Kubernetes manifests: base/ (an Indexed Job per sharded pipeline
// stage, the merge Jobs, the shared volume, and `svgai serve` as a
// Deployment with its Service, autoscaler and disruption budget) and the
// kustomize overlays for sizes (overlays/small, overlays/large). How to run
// them and what a run costs: docs/scale.md.
//
// The package has no code: its tests render every overlay (the subset of
// kustomize the manifests use: resources, JSON 6902 patches, images),
// decode every object strictly with the Kubernetes API types, and check the
// manifests against the binaries they run: commands, subcommands and flags
// as the binaries' own -h prints them, the plugin configuration as the
// host parses it, image names and the shard counts. Nothing imports it, so
// the Kubernetes modules it needs never reach a binary.
package deploy
