package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	jsonpatch "github.com/evanphx/json-patch/v5"
	"sigs.k8s.io/yaml"
)

// kustomization is the subset of kustomize's Kustomization the manifests
// use. Decoding is strict, so a kustomization that starts using another
// feature fails the test until the renderer here learns it.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
	} `json:"images,omitempty"`
	Patches []struct {
		Target struct {
			Kind string `json:"kind"`
			Name string `json:"name"`
		} `json:"target"`
		Patch string `json:"patch"`
	} `json:"patches,omitempty"`
}

// object is one rendered manifest: its JSON and the file it came from.
type object struct {
	file string
	kind string
	name string
	json []byte
}

// render renders the kustomization in dir as kustomize would for the
// features above: resources (files or directories of kustomizations) in
// order, then images, then each patch applied to exactly one object.
func render(dir string) ([]object, error) {
	data, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return nil, err
	}
	var k kustomization
	if err := yaml.UnmarshalStrict(data, &k); err != nil {
		return nil, fmt.Errorf("%s/kustomization.yaml: %w", dir, err)
	}
	if k.APIVersion != "kustomize.config.k8s.io/v1beta1" || k.Kind != "Kustomization" {
		return nil, fmt.Errorf("%s/kustomization.yaml: apiVersion %q kind %q", dir, k.APIVersion, k.Kind)
	}
	var objs []object
	for _, r := range k.Resources {
		path := filepath.Join(dir, r)
		fi, err := os.Stat(path)
		if err != nil {
			return nil, fmt.Errorf("%s/kustomization.yaml: resource %s: %w", dir, r, err)
		}
		if fi.IsDir() {
			sub, err := render(path)
			if err != nil {
				return nil, err
			}
			objs = append(objs, sub...)
			continue
		}
		o, err := readObject(path)
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	for _, im := range k.Images {
		hit := false
		for i := range objs {
			out, n, err := setImages(objs[i].json, im.Name, im.NewName, im.NewTag)
			if err != nil {
				return nil, fmt.Errorf("%s: images: %w", objs[i].file, err)
			}
			objs[i].json, hit = out, hit || n > 0
		}
		if !hit {
			return nil, fmt.Errorf("%s/kustomization.yaml: image %s is used by no container", dir, im.Name)
		}
	}
	for _, p := range k.Patches {
		i := slices.IndexFunc(objs, func(o object) bool { return o.kind == p.Target.Kind && o.name == p.Target.Name })
		if i < 0 {
			return nil, fmt.Errorf("%s/kustomization.yaml: patch target %s %s matches no resource", dir, p.Target.Kind, p.Target.Name)
		}
		ops, err := yaml.YAMLToJSON([]byte(p.Patch))
		if err != nil {
			return nil, fmt.Errorf("%s/kustomization.yaml: patch of %s: %w", dir, p.Target.Name, err)
		}
		patch, err := jsonpatch.DecodePatch(ops)
		if err != nil {
			return nil, fmt.Errorf("%s/kustomization.yaml: patch of %s: %w", dir, p.Target.Name, err)
		}
		// Strict: a "replace" of a path that does not exist is an error
		// (kustomize's too), so a patch cannot silently miss its field.
		out, err := patch.Apply(objs[i].json)
		if err != nil {
			return nil, fmt.Errorf("%s/kustomization.yaml: patch of %s %s: %w", dir, p.Target.Kind, p.Target.Name, err)
		}
		objs[i].json = out
		objs[i].file += " + " + filepath.Join(dir, "kustomization.yaml")
	}
	return objs, nil
}

// readObject reads one manifest file holding exactly one object.
func readObject(path string) (object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return object{}, err
	}
	if strings.Contains("\n"+string(data), "\n---") {
		return object{}, fmt.Errorf("%s: one object per file, please", path)
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return object{}, fmt.Errorf("%s: %w", path, err)
	}
	var meta struct {
		Kind     string `json:"kind"`
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(js, &meta); err != nil {
		return object{}, fmt.Errorf("%s: %w", path, err)
	}
	return object{file: path, kind: meta.Kind, name: meta.Metadata.Name, json: js}, nil
}

// setImages rewrites the image of every container (init containers too)
// whose image name is name, as kustomize's images transformer does.
func setImages(js []byte, name, newName, newTag string) ([]byte, int, error) {
	var doc map[string]any
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, 0, err
	}
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				if (k == "containers" || k == "initContainers") && child != nil {
					for _, c := range child.([]any) {
						cm := c.(map[string]any)
						image, _ := cm["image"].(string)
						base, tag := splitImage(image)
						if base != name {
							continue
						}
						if newName != "" {
							base = newName
						}
						if newTag != "" {
							tag = newTag
						}
						cm["image"] = base + ":" + tag
						n++
					}
					continue
				}
				walk(child)
			}
		case []any:
			for _, c := range x {
				walk(c)
			}
		}
	}
	walk(doc)
	out, err := json.Marshal(doc)
	return out, n, err
}

// splitImage cuts an image reference into its name and tag (the tag's
// colon comes after the last slash; a registry's port comes before).
func splitImage(image string) (name, tag string) {
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		return image[:i], image[i+1:]
	}
	return image, ""
}
