package googletest

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// decodeBody parses a JSON request body and checks it against the schema the
// discovery document names for the method: unknown fields, wrong JSON types
// and fields the schema annotates as required for this method are rejected.
func (d *discoveryDoc) decodeBody(m *discMethod, body []byte) (map[string]any, *apiError) {
	if m.Request == nil {
		return nil, nil
	}
	var obj map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return nil, &apiError{Code: 400, Reason: "parseError", Message: "Parse Error"}
	}
	sch := d.Schemas[m.Request.Ref]
	if err := d.checkSchema(sch, obj, "resource"); err != nil {
		return nil, err
	}
	for name, prop := range sch.Properties {
		if contains(prop.Annotations.Required, m.ID) && obj[name] == nil {
			return nil, fieldError("required", "resource."+name, "Missing "+name+".")
		}
	}
	return obj, nil
}

func (d *discoveryDoc) checkSchema(sch *discSchema, v any, path string) *apiError {
	if sch == nil || v == nil {
		return nil // null clears a field under patch semantics
	}
	if sch.Ref != "" {
		return d.checkSchema(d.Schemas[sch.Ref], v, path)
	}
	switch sch.Type {
	case "object":
		return d.checkObject(sch, v, path)
	case "array":
		arr, ok := v.([]any)
		if !ok {
			return typeError(path, "an array")
		}
		for i, item := range arr {
			if err := d.checkSchema(sch.Items, item, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return typeError(path, "a string")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return typeError(path, "a boolean")
		}
	case "integer", "number":
		if _, ok := v.(json.Number); !ok {
			return typeError(path, "a number")
		}
	}
	return nil
}

func (d *discoveryDoc) checkObject(sch *discSchema, v any, path string) *apiError {
	obj, ok := v.(map[string]any)
	if !ok {
		return typeError(path, "an object")
	}
	for k, child := range obj {
		prop := sch.Properties[k]
		if prop == nil {
			prop = sch.AdditionalProperties
		}
		if prop == nil {
			return fieldError("invalid", path+"."+k,
				fmt.Sprintf("Invalid JSON payload received. Unknown name %q at '%s': Cannot find field.", k, path))
		}
		if err := d.checkSchema(prop, child, path+"."+k); err != nil {
			return err
		}
	}
	return nil
}

func typeError(path, want string) *apiError {
	return fieldError("invalid", path, fmt.Sprintf("Invalid value at '%s': expected %s.", path, want))
}
