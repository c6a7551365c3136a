package deploy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	hostconfig "github.com/svgai/svgai/host/config"
	"github.com/svgai/svgai/tools/collect"
)

// image is the name every container runs; overlays set its tag.
const image = "ghcr.io/svgai/svgai"

// apiVersions is the group/version each kind must be written in.
var apiVersions = map[string]string{
	"Job": "batch/v1", "Deployment": "apps/v1", "Service": "v1", "PersistentVolumeClaim": "v1", "ConfigMap": "v1",
	"HorizontalPodAutoscaler": "autoscaling/v2", "PodDisruptionBudget": "policy/v1",
}

// rendering is one rendered kustomization, every object decoded strictly.
type rendering struct {
	dir     string
	jobs    map[string]*batchv1.Job
	deploys map[string]*appsv1.Deployment
	svcs    []*corev1.Service
	pvcs    map[string]*corev1.PersistentVolumeClaim
	cms     map[string]*corev1.ConfigMap
	hpas    []*autoscalingv2.HorizontalPodAutoscaler
	pdbs    []*policyv1.PodDisruptionBudget
}

// decodeAll renders dir and decodes every object with the Kubernetes API
// types, unknown fields being errors.
func decodeAll(t *testing.T, dir string) *rendering {
	t.Helper()
	objs, err := render(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := &rendering{dir: dir, jobs: map[string]*batchv1.Job{}, deploys: map[string]*appsv1.Deployment{},
		pvcs: map[string]*corev1.PersistentVolumeClaim{}, cms: map[string]*corev1.ConfigMap{}}
	for _, o := range objs {
		var v any
		switch o.kind {
		case "Job":
			j := &batchv1.Job{}
			r.jobs[o.name], v = j, j
		case "Deployment":
			d := &appsv1.Deployment{}
			r.deploys[o.name], v = d, d
		case "Service":
			s := &corev1.Service{}
			r.svcs, v = append(r.svcs, s), s
		case "PersistentVolumeClaim":
			p := &corev1.PersistentVolumeClaim{}
			r.pvcs[o.name], v = p, p
		case "ConfigMap":
			c := &corev1.ConfigMap{}
			r.cms[o.name], v = c, c
		case "HorizontalPodAutoscaler":
			h := &autoscalingv2.HorizontalPodAutoscaler{}
			r.hpas, v = append(r.hpas, h), h
		case "PodDisruptionBudget":
			p := &policyv1.PodDisruptionBudget{}
			r.pdbs, v = append(r.pdbs, p), p
		default:
			t.Fatalf("%s: kind %q: the test knows no such kind", o.file, o.kind)
		}
		dec := json.NewDecoder(bytes.NewReader(o.json))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Fatalf("%s: %s %s: %v", o.file, o.kind, o.name, err)
		}
		var tm struct {
			APIVersion string `json:"apiVersion"`
			Metadata   struct {
				Labels map[string]string `json:"labels"`
			} `json:"metadata"`
		}
		json.Unmarshal(o.json, &tm)
		// docs/scale.md applies the steps one at a time by this label.
		if tm.Metadata.Labels["app.kubernetes.io/component"] == "" {
			t.Errorf("%s: %s %s has no app.kubernetes.io/component label", o.file, o.kind, o.name)
		}
		if tm.APIVersion != apiVersions[o.kind] {
			t.Errorf("%s: %s in apiVersion %q, want %q", o.file, o.kind, tm.APIVersion, apiVersions[o.kind])
		}
		if o.name == "" {
			t.Errorf("%s: %s without a name", o.file, o.kind)
		}
	}
	return r
}

// pods returns every pod template of the rendering, by workload name.
func (r *rendering) pods() map[string]*corev1.PodSpec {
	out := map[string]*corev1.PodSpec{}
	for n, j := range r.jobs {
		out["Job "+n] = &j.Spec.Template.Spec
	}
	for n, d := range r.deploys {
		out["Deployment "+n] = &d.Spec.Template.Spec
	}
	return out
}

func containers(p *corev1.PodSpec) []corev1.Container {
	return append(append([]corev1.Container(nil), p.InitContainers...), p.Containers...)
}

// TestManifests renders the base and every overlay and checks them.
func TestManifests(t *testing.T) {
	overlays, _ := filepath.Glob("overlays/*")
	if len(overlays) < 2 {
		t.Fatalf("overlays %v: want sizes (small, large)", overlays)
	}
	uid := dockerUser(t)
	for _, dir := range append([]string{"base"}, overlays...) {
		t.Run(dir, func(t *testing.T) {
			r := decodeAll(t, dir)
			for _, kind := range []string{"Job", "Deployment", "Service", "PersistentVolumeClaim", "ConfigMap", "HorizontalPodAutoscaler", "PodDisruptionBudget"} {
				if !r.has(kind) {
					t.Errorf("no %s", kind)
				}
			}
			r.checkPods(t, uid)
			r.checkShards(t)
			r.checkServe(t)
		})
	}
}

func (r *rendering) has(kind string) bool {
	switch kind {
	case "Job":
		return len(r.jobs) > 0
	case "Deployment":
		return len(r.deploys) > 0
	case "Service":
		return len(r.svcs) > 0
	case "PersistentVolumeClaim":
		return len(r.pvcs) > 0
	case "ConfigMap":
		return len(r.cms) > 0
	case "HorizontalPodAutoscaler":
		return len(r.hpas) > 0
	}
	return len(r.pdbs) > 0
}

// checkPods checks what every pod has in common: one image (and tag)
// everywhere, the image's non-root user, resources, existing volumes, and
// commands and flags that the binaries accept.
func (r *rendering) checkPods(t *testing.T, uid int64) {
	t.Helper()
	var tag string
	for name, p := range r.pods() {
		if sc := p.SecurityContext; sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot || sc.RunAsUser == nil || *sc.RunAsUser != uid {
			t.Errorf("%s: pod must run as non-root user %d, the Dockerfile's", name, uid)
		}
		for _, v := range p.Volumes {
			if c := v.PersistentVolumeClaim; c != nil && r.pvcs[c.ClaimName] == nil {
				t.Errorf("%s: volume %s claims %s, which is not defined", name, v.Name, c.ClaimName)
			}
			if c := v.ConfigMap; c != nil && r.cms[c.Name] == nil {
				t.Errorf("%s: volume %s uses config map %s, which is not defined", name, v.Name, c.Name)
			}
		}
		for _, c := range containers(p) {
			where := name + " container " + c.Name
			n, tg := splitImage(c.Image)
			if n != image {
				t.Errorf("%s: image %s, want %s", where, c.Image, image)
			}
			if tag == "" {
				tag = tg
			} else if tg != tag {
				t.Errorf("%s: image tag %q, others have %q", where, tg, tag)
			}
			for _, res := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := c.Resources.Requests[res]; !ok {
					t.Errorf("%s: no %s request", where, res)
				}
				if _, ok := c.Resources.Limits[res]; !ok {
					t.Errorf("%s: no %s limit", where, res)
				}
			}
			checkMemLimit(t, where, c)
			for _, m := range c.VolumeMounts {
				if !hasVolume(p, m.Name) {
					t.Errorf("%s: mounts volume %s, which the pod does not have", where, m.Name)
				}
			}
			checkCommand(t, where, c.Command, c.Args)
		}
	}
}

// checkMemLimit checks that a container's GOMEMLIMIT, the Go heap's soft
// limit, stays below its memory limit (leaving room for C allocations:
// HDF5's chunk caches, OpenBLAS, WebAssembly memory).
func checkMemLimit(t *testing.T, where string, c corev1.Container) {
	t.Helper()
	for _, e := range c.Env {
		if e.Name != "GOMEMLIMIT" {
			continue
		}
		q, err := resource.ParseQuantity(strings.TrimSuffix(e.Value, "B"))
		limit := c.Resources.Limits[corev1.ResourceMemory]
		if err != nil || q.Value() <= 0 || q.Value() > limit.Value()*9/10 {
			t.Errorf("%s: GOMEMLIMIT %s must be below 90%% of the memory limit %s", where, e.Value, limit.String())
		}
	}
}

func hasVolume(p *corev1.PodSpec, name string) bool {
	for _, v := range p.Volumes {
		if v.Name == name {
			return true
		}
	}
	return false
}

// checkCommand checks that a container runs one of the image's binaries
// with a (sub)command and flags that binary accepts.
func checkCommand(t *testing.T, where string, command, args []string) {
	t.Helper()
	if len(command) != 1 {
		t.Errorf("%s: command %q: want one of the image's binaries, no shell", where, command)
		return
	}
	var prefix []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			break
		}
		prefix = append(prefix, a)
	}
	flags, err := flagsOf(command[0], prefix)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !flags[name] {
			t.Errorf("%s: %s %s has no flag %s (it has %v)", where, command[0], strings.Join(prefix, " "), a, keys(flags))
		}
	}
}

// checkShards checks the sharded stages: Indexed Jobs whose shard count
// (the environment variable --shard auto reads) is their completions, that
// write one file per shard, and merge Jobs that expect that many shards.
func (r *rendering) checkShards(t *testing.T) {
	t.Helper()
	counts := map[string]int{} // per output kind: dataset, features
	for name, j := range r.jobs {
		c := j.Spec.Template.Spec.Containers[0]
		if j.Spec.CompletionMode == nil || *j.Spec.CompletionMode != batchv1.IndexedCompletion {
			continue
		}
		if j.Spec.Completions == nil || *j.Spec.Completions < 1 {
			t.Errorf("Job %s: Indexed without completions", name)
			continue
		}
		n := int(*j.Spec.Completions)
		env := ""
		for _, e := range c.Env {
			if e.Name == collect.ShardCountEnv {
				env = e.Value
			}
		}
		if env != strconv.Itoa(n) {
			t.Errorf("Job %s: %s = %q, but completions = %d: shards would overlap or be missed", name, collect.ShardCountEnv, env, n)
		}
		out := argValue(c.Args, "--out")
		if argValue(c.Args, "--shard") != "auto" || !strings.Contains(out, "{shard}") {
			t.Errorf("Job %s: want --shard auto and an --out naming {shard}; args %q", name, c.Args)
		}
		kind := strings.TrimSuffix(filepath.Base(out), "-{shard}.h5")
		counts[kind] = n
	}
	if len(counts) != 2 {
		t.Errorf("sharded stages %v: want dataset and features", counts)
	}
	merged := 0
	for name, j := range r.jobs {
		for _, c := range containers(&j.Spec.Template.Spec) {
			if len(c.Args) == 0 || c.Args[0] != "merge" {
				continue
			}
			merged++
			pattern := c.Args[len(c.Args)-1]
			kind, _, _ := strings.Cut(filepath.Base(pattern), "-")
			want, ok := counts[kind]
			if !ok || argValue(c.Args, "--expect") != strconv.Itoa(want) || !strings.HasSuffix(pattern, fmt.Sprintf("-of-%d.h5", want)) {
				t.Errorf("Job %s: merge %q does not expect the %d shards the %s stage writes", name, c.Args, want, kind)
			}
		}
	}
	if merged != 2 {
		t.Errorf("%d merge containers, want one per sharded stage", merged)
	}
}

// checkServe checks the service: probes on /v1/health at a declared port,
// a Service, autoscaler and disruption budget that find its pods, and a
// plugin configuration the host accepts, naming the image's plugin with
// flags the plugin accepts.
func (r *rendering) checkServe(t *testing.T) {
	t.Helper()
	for name, d := range r.deploys {
		pod := d.Spec.Template
		c := pod.Spec.Containers[0]
		ports := map[string]bool{}
		for _, p := range c.Ports {
			ports[p.Name] = true
		}
		for what, p := range map[string]*corev1.Probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
			if p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/v1/health" || !ports[p.HTTPGet.Port.StrVal] {
				t.Errorf("Deployment %s: %s probe must GET /v1/health on a named container port", name, what)
			}
		}
		if !selects(d.Spec.Selector.MatchLabels, pod.Labels) {
			t.Errorf("Deployment %s: its selector does not select its own pods", name)
		}
		for _, s := range r.svcs {
			if !selects(s.Spec.Selector, pod.Labels) || len(s.Spec.Ports) == 0 || !ports[s.Spec.Ports[0].TargetPort.StrVal] {
				t.Errorf("Service %s does not reach Deployment %s's named port", s.Name, name)
			}
		}
		for _, p := range r.pdbs {
			if !selects(p.Spec.Selector.MatchLabels, pod.Labels) || p.Spec.MinAvailable == nil {
				t.Errorf("PodDisruptionBudget %s does not keep Deployment %s's pods", p.Name, name)
			}
		}
		for _, h := range r.hpas {
			if h.Spec.ScaleTargetRef.Kind != "Deployment" || h.Spec.ScaleTargetRef.Name != name || h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 {
				t.Errorf("HorizontalPodAutoscaler %s: must scale Deployment %s from at least 2 replicas (the budget keeps 1)", h.Name, name)
			}
		}
		config := argValue(c.Args, "--config")
		r.checkPluginConfig(t, pod.Spec, c, config)
	}
}

// checkPluginConfig parses the plugin.toml the service reads, from the
// config map mounted where --config points, with the host's own parser.
func (r *rendering) checkPluginConfig(t *testing.T, pod corev1.PodSpec, c corev1.Container, path string) {
	t.Helper()
	for _, m := range c.VolumeMounts {
		if filepath.Dir(path) != m.MountPath {
			continue
		}
		for _, v := range pod.Volumes {
			if v.Name != m.Name || v.ConfigMap == nil {
				continue
			}
			text, ok := r.cms[v.ConfigMap.Name].Data[filepath.Base(path)]
			if !ok {
				t.Fatalf("config map %s has no %s", v.ConfigMap.Name, filepath.Base(path))
			}
			cfg, err := hostconfig.Parse([]byte(text), v.ConfigMap.Name+"/"+filepath.Base(path))
			if err != nil {
				t.Fatal(err)
			}
			checkCommand(t, "plugin.toml [plugin]", []string{filepath.Base(cfg.Plugin.Path)}, cfg.Plugin.Args)
			if dir := filepath.Dir(cfg.Plugin.Path); dir != "/usr/local/bin" {
				t.Errorf("plugin.toml: plugin path %s is not where the Dockerfile installs the binaries", cfg.Plugin.Path)
			}
			return
		}
	}
	t.Errorf("--config %s is not in a mounted config map", path)
}

func selects(selector, labels map[string]string) bool {
	if len(selector) == 0 {
		return false
	}
	for k, v := range selector {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// argValue returns the value following flag in args ("" if absent).
func argValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

// dockerUser returns the numeric user the Dockerfile's last stage runs as,
// checking the image's build: a multi-stage build, the HDF5 and OpenBLAS
// runtime libraries installed in the last stage, every binary copied in.
func dockerUser(t *testing.T) int64 {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	stages := regexp.MustCompile(`(?m)^FROM `).FindAllStringIndex(text, -1)
	if len(stages) < 2 {
		t.Fatalf("Dockerfile: %d stages, want a build stage and a runtime stage", len(stages))
	}
	last := text[stages[len(stages)-1][0]:]
	for _, pkg := range []string{"libhdf5-103-1", "libhdf5-hl-100", "libopenblas0"} {
		if !strings.Contains(last, pkg) {
			t.Errorf("Dockerfile: the runtime stage does not install %s", pkg)
		}
	}
	if !strings.Contains(last, "COPY --from=build /src/bin/ /usr/local/bin/") {
		t.Error("Dockerfile: the runtime stage does not copy bin/ to /usr/local/bin/")
	}
	m := regexp.MustCompile(`(?m)^USER (\d+)(:\d+)?$`).FindStringSubmatch(last)
	if m == nil {
		t.Fatal("Dockerfile: the runtime stage has no numeric USER")
	}
	uid, _ := strconv.ParseInt(m[1], 10, 64)
	if uid == 0 {
		t.Fatal("Dockerfile: runs as root")
	}
	return uid
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
