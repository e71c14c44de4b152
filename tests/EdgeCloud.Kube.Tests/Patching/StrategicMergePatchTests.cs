using System.Text.Json.Nodes;
using EdgeCloud.Kube.Patching;
using EdgeCloud.Kube.Schema;
using static EdgeCloud.Kube.Tests.Patching.JsonAssert;

namespace EdgeCloud.Kube.Tests.Patching;

public class StrategicMergePatchTests
{
    private const string Deployment = """
        {"metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":2,
                 "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}},
                 "template":{"metadata":{"labels":{"app":"web"}},
                             "spec":{"containers":[{"name":"web","image":"nginx:1","ports":[{"containerPort":80,"protocol":"TCP"}],
                                                    "env":[{"name":"A","value":"1"},{"name":"B","value":"x"}]}]}}}}
        """;

    private static JsonObject ApplyToDeployment(string patch) =>
        StrategicMergePatch.Apply(Object(Deployment), Object(patch), PatchTestSchemas.Deployment);

    private static JsonObject ApplyToPod(string pod, string patch) =>
        StrategicMergePatch.Apply(Object(pod), Object(patch), PatchTestSchemas.Pod);

    [Fact]
    public void Kubectl_apply_changing_one_env_var_keeps_image_ports_and_other_env_vars()
    {
        var result = ApplyToDeployment("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"name":"web","env":[{"name":"A","value":"2"}]}]}}}}""");

        Equal("""[{"name":"web","image":"nginx:1","ports":[{"containerPort":80,"protocol":"TCP"}],"env":[{"name":"A","value":"2"},{"name":"B","value":"x"}]}]""",
            result["spec"]!["template"]!["spec"]!["containers"]);
        Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}""", result["spec"]!["strategy"]);
        Assert.Equal(2, result["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Kubectl_apply_orders_nested_lists_with_their_own_set_element_order()
    {
        var result = ApplyToDeployment("""
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
              "containers":[{"$setElementOrder/env":[{"name":"B"},{"name":"A"}],"name":"web","env":[{"name":"A","value":"2"}]}]}}}}
            """);

        Equal("""[{"name":"B","value":"x"},{"name":"A","value":"2"}]""", result["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Retain_keys_in_a_merge_list_item_switches_a_volume_source()
    {
        // Volumes are "merge,retainKeys": kubectl apply names the keys to keep so emptyDir goes when hostPath comes.
        var pod = """{"spec":{"volumes":[{"name":"data","emptyDir":{"medium":"Memory"}},{"name":"cache","emptyDir":{}}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"volumes":[{"$retainKeys":["hostPath","name"],"name":"data","hostPath":{"path":"/srv"}}]}}""");

        Equal("""[{"name":"data","hostPath":{"path":"/srv"}},{"name":"cache","emptyDir":{}}]""", result["spec"]!["volumes"]);
    }

    [Fact]
    public void Kubectl_apply_adding_a_container_puts_it_where_set_element_order_says()
    {
        var result = ApplyToDeployment("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],"containers":[{"name":"log","image":"busybox"}]}}}}""");

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["web", "log"], containers.Select(c => (string)c!["name"]!));
        Equal("""[{"containerPort":80,"protocol":"TCP"}]""", containers[0]!["ports"]);
    }

    [Fact]
    public void New_container_from_kubectl_patch_goes_first_as_the_kubectl_patch_docs_show()
    {
        // "Update API Objects in Place Using kubectl patch": patching in patch-demo-ctr-2 lists it before the
        // existing container, because upstream places patch items before server items it cannot order them against.
        var result = ApplyToDeployment("""{"spec":{"template":{"spec":{"containers":[{"name":"redis","image":"redis"}]}}}}""");

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["redis", "web"], containers.Select(c => (string)c!["name"]!));
        Assert.Equal("nginx:1", (string)containers[1]!["image"]!);
    }

    [Fact]
    public void Patch_delete_directive_removes_the_container_with_that_name()
    {
        var pod = """{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"},{"name":"c","image":"z"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"containers":[{"name":"b","$patch":"delete"},{"name":"c","image":"z2"}]}}""");

        Equal("""[{"name":"a","image":"x"},{"name":"c","image":"z2"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Patch_delete_directive_removes_every_duplicate_and_tolerates_absent_items()
    {
        var pod = """{"spec":{"volumes":[{"name":"1"},{"name":"1"},{"name":"2","emptyDir":{}},{"name":"3"},{"name":"3"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"volumes":[{"name":"1","$patch":"delete"},{"name":"3","$patch":"delete"},{"name":"9","$patch":"delete"}]}}""");

        Equal("""[{"name":"2","emptyDir":{}}]""", result["spec"]!["volumes"]);
    }

    [Fact]
    public void Set_element_order_alone_reorders_the_list()
    {
        var pod = """{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}""");

        Equal("""[{"name":"b","image":"y"},{"name":"a","image":"x"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Set_element_order_naming_items_the_list_does_not_have_ignores_them()
    {
        // Upstream test case "$setElementOrder contains item that is not present in the list to be merged".
        var pod = """{"spec":{"containers":[{"name":"1"},{"name":"3"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"$setElementOrder/containers":[{"name":"3"},{"name":"2"},{"name":"1"}],"containers":[{"name":"3","image":"3"},{"name":"1","image":"1"}]}}""");

        Equal("""[{"name":"3","image":"3"},{"name":"1","image":"1"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Without_set_element_order_patch_items_keep_the_patch_order_and_the_rest_keep_their_place()
    {
        // Upstream test case "preserve the order from the patch in a merging list 2".
        var pod = """{"spec":{"containers":[{"name":"1"},{"name":"2","image":"b"},{"name":"3"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"containers":[{"name":"3","image":"c"},{"name":"1","image":"a"}]}}""");

        Equal("""[{"name":"2","image":"b"},{"name":"3","image":"c"},{"name":"1","image":"a"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Ports_merge_by_numeric_container_port()
    {
        var pod = """{"spec":{"containers":[{"name":"web","ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":8080}]}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"containers":[{"name":"web","ports":[{"containerPort":8080,"name":"admin"},{"containerPort":443}]}]}}""");

        Equal("""[{"containerPort":80,"protocol":"TCP"},{"containerPort":8080,"name":"admin"},{"containerPort":443}]""", result["spec"]!["containers"]![0]!["ports"]);
    }

    [Fact]
    public void Null_deletes_a_label_and_other_labels_merge()
    {
        var result = ApplyToDeployment("""{"metadata":{"labels":{"app":null,"tier":"frontend"}}}""");

        Equal("""{"name":"web","labels":{"tier":"frontend"}}""", result["metadata"]);
    }

    [Fact]
    public void Retain_keys_drops_rolling_update_when_the_strategy_becomes_recreate()
    {
        var result = ApplyToDeployment("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}""");

        Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Without_retain_keys_a_strategy_patch_merges_and_keeps_rolling_update()
    {
        var result = ApplyToDeployment("""{"spec":{"strategy":{"type":"Recreate"}}}""");

        Equal("""{"type":"Recreate","rollingUpdate":{"maxSurge":1,"maxUnavailable":0}}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Retain_keys_accepts_keys_the_patch_deletes_with_null()
    {
        var result = ApplyToDeployment("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}""");

        Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Delete_from_primitive_list_removes_finalizers()
    {
        var pod = """{"metadata":{"finalizers":["a","b","c","b"]}}""";
        var result = ApplyToPod(pod, """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b","zzz"]}}""");

        Equal("""["a","c"]""", result["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Kubectl_apply_replacing_a_finalizer_deletes_adds_and_orders()
    {
        var pod = """{"metadata":{"finalizers":["a","b","c"]}}""";
        var result = ApplyToPod(pod, """{"metadata":{"$setElementOrder/finalizers":["a","d","c"],"$deleteFromPrimitiveList/finalizers":["b"],"finalizers":["d"]}}""");

        Equal("""["a","d","c"]""", result["metadata"]!["finalizers"]);
    }

    [Theory]
    // Upstream test cases "unique scalars when merging lists" and "preserve the order from the patch in a merging int list".
    [InlineData("""["1","2"]""", """["2","3"]""", """["1","2","3"]""")]
    [InlineData("""["1","2","3"]""", """["3","1"]""", """["2","3","1"]""")]
    [InlineData("""["1","2","3"]""", """["3","1","2"]""", """["3","1","2"]""")]
    [InlineData("""["a"]""", """["b"]""", """["b","a"]""")]
    [InlineData("""[]""", """["b","b"]""", """["b"]""")]
    public void Primitive_merge_lists_are_unions_ordered_like_upstream(string original, string patch, string expected)
    {
        var result = ApplyToPod($$$"""{"metadata":{"finalizers":{{{original}}}}}""", $$$"""{"metadata":{"finalizers":{{{patch}}}}}""");
        Equal(expected, result["metadata"]!["finalizers"]);
    }

    [Fact]
    public void Lists_without_merge_strategy_are_replaced()
    {
        var pod = """{"spec":{"tolerations":[{"key":"a"},{"key":"b"}],"containers":[{"name":"web","args":["x","y"]}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"tolerations":[{"key":"c","effect":"NoSchedule"}],"containers":[{"name":"web","args":["z"]}]}}""");

        Equal("""[{"key":"c","effect":"NoSchedule"}]""", result["spec"]!["tolerations"]);
        Equal("""["z"]""", result["spec"]!["containers"]![0]!["args"]);
    }

    [Fact]
    public void Patch_replace_in_a_map_replaces_the_whole_map()
    {
        var pod = """{"spec":{"nodeSelector":{"zone":"a","disk":"ssd"}}}""";
        var result = ApplyToPod(pod, """{"spec":{"nodeSelector":{"$patch":"replace","zone":"b","gone":null}}}""");

        Equal("""{"zone":"b"}""", result["spec"]!["nodeSelector"]);
    }

    [Fact]
    public void Patch_replace_at_the_top_replaces_the_whole_object()
    {
        var result = ApplyToDeployment("""{"$patch":"replace","metadata":{"name":"other"}}""");

        Equal("""{"metadata":{"name":"other"}}""", result);
    }

    [Fact]
    public void Patch_replace_as_a_list_item_replaces_the_whole_list()
    {
        var pod = """{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"containers":[{"name":"c","image":"z"},{"$patch":"replace"}]}}""");

        Equal("""[{"name":"c","image":"z"}]""", result["spec"]!["containers"]);
    }

    [Fact]
    public void Patch_replace_alone_empties_the_list()
    {
        var pod = """{"spec":{"containers":[{"name":"a"}]}}""";
        var result = ApplyToPod(pod, """{"spec":{"containers":[{"$patch":"replace"}]}}""");

        Equal("[]", result["spec"]!["containers"]);
    }

    [Fact]
    public void Patch_delete_in_a_map_removes_the_map()
    {
        var result = ApplyToDeployment("""{"spec":{"strategy":{"rollingUpdate":{"$patch":"delete"}}}}""");

        Equal("""{"type":"RollingUpdate"}""", result["spec"]!["strategy"]);
    }

    [Fact]
    public void Patch_merge_in_a_map_is_the_default_merge()
    {
        var result = ApplyToDeployment("""{"metadata":{"labels":{"$patch":"merge","tier":"fe"}}}""");

        Equal("""{"app":"web","tier":"fe"}""", result["metadata"]!["labels"]);
    }

    [Fact]
    public void Values_new_to_the_object_store_no_directives_or_nulls()
    {
        var result = ApplyToPod("""{"spec":{}}""", """
            {"spec":{"volumes":[{"name":"a","emptyDir":{"medium":null}},{"name":"b","$patch":"delete"}],
                     "nodeSelector":{"zone":"a","x":null},
                     "containers":[{"name":"web","env":[{"name":"A","value":"1"}]}]}}
            """);

        Equal("""{"volumes":[{"name":"a","emptyDir":{}}],"nodeSelector":{"zone":"a"},"containers":[{"name":"web","env":[{"name":"A","value":"1"}]}]}""", result["spec"]);
    }

    [Fact]
    public void A_value_of_another_json_type_replaces_the_old_one()
    {
        var result = ApplyToPod("""{"metadata":{"name":"web","labels":"oops"}}""", """{"metadata":{"labels":{"app":"web"},"name":{"x":1}}}""");

        Equal("""{"name":{"x":1},"labels":{"app":"web"}}""", result["metadata"]);
    }

    [Fact]
    public void Fields_outside_the_schema_merge_like_a_json_merge_patch()
    {
        var pod = """{"spec":{"extra":{"list":[1,2],"keep":true,"drop":1},"config":{"items":[{"name":"a"}],"nested":{"a":1}}}}""";
        var result = ApplyToPod(pod, """{"spec":{"extra":{"list":[3],"drop":null},"config":{"items":[{"name":"b"}],"nested":{"b":2}}}}""");

        Equal("""{"list":[3],"keep":true}""", result["spec"]!["extra"]);
        Equal("""{"items":[{"name":"b"}],"nested":{"a":1,"b":2}}""", result["spec"]!["config"]);
    }

    [Fact]
    public void Inputs_are_not_changed_and_the_result_shares_no_nodes_with_them()
    {
        var original = Object(Deployment);
        var patch = Object("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log"}],"containers":[{"name":"web","env":[{"name":"A","value":"2"}]},{"name":"log","image":"busybox","env":[{"name":"X","value":"1"}]}]}}},"metadata":{"finalizers":["f"]}}""");
        var originalText = original.ToJsonString();
        var patchText = patch.ToJsonString();

        var result = StrategicMergePatch.Apply(original, patch, PatchTestSchemas.Deployment);
        result["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"] = "changed";
        result["spec"]!["template"]!["spec"]!["containers"]![1]!["env"]![0]!["value"] = "changed";
        result["metadata"]!["finalizers"]!.AsArray().Add("g");

        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }

    [Fact]
    public void Schemaless_patch_through_the_node_overload_behaves_the_same()
    {
        JsonNode? patch = Parse("""{"spec":{"replicas":3}}""");
        var result = StrategicMergePatch.Apply(Object(Deployment), patch, PatchTestSchemas.Deployment);
        Assert.Equal(3, result["spec"]!["replicas"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("""["not","an","object"]""")]
    [InlineData("null")]
    [InlineData("42")]
    public void A_patch_that_is_not_an_object_is_400(string patch)
    {
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Object(Deployment), Parse(patch), PatchTestSchemas.Deployment));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("must be a JSON object", error.Message);
    }

    // Every refusal, with its status: 400 for a malformed patch, 422 for one that does not fit the object.
    [Theory]
    [InlineData("""{"metadata":{"labels":{"$patch":"explode"}}}""", 400, "unknown patch type: \"explode\" in map")]
    [InlineData("""{"metadata":{"labels":{"$patch":1}}}""", 400, "unknown patch type: 1")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"web","$patch":"explode"}]}}}}""", 400, "unknown patch type: \"explode\" in list item")]
    [InlineData("""{"spec":{"$frobnicate":1}}""", 400, "unknown strategic merge patch directive \"$frobnicate\"")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":"type","type":"Recreate"}}}""", 400, "$retainKeys must be a list")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["type",1]}}}""", 400, "$retainKeys must be a list")]
    [InlineData("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":{"maxSurge":2}}}}""", 422, "\"rollingUpdate\", which is not in its $retainKeys list")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/containers":{"name":"web"}}}}}""", 400, "$setElementOrder/containers must name a list")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/":[]}}}}""", 400, "must name a list")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"image":"x"}]}}}}""", 400, "does not contain declared merge key: name")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":{"name":"web"}}}}}""", 400, "non-list")]
    [InlineData("""{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"}],"containers":[{"name":"b"},{"name":"a"}]}}}}""", 400, "doesn't match $setElementOrder/containers list")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}}""", 400, "$deleteFromPrimitiveList/finalizers must name a list")]
    [InlineData("""{"metadata":{"$deleteFromPrimitiveList/":["a"]}}""", 400, "must name a list")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"image":"nginx:2"}]}}}}""", 422, "does not contain declared merge key: name")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"$patch":"delete","image":"x"}]}}}}""", 422, "$patch: delete list item")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[["web"]]}}}}""", 422, "lists of lists")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":["web"]}}}}""", 422, "list element types are not identical")]
    [InlineData("""{"metadata":{"finalizers":[1]}}""", 422, "list element types are not identical")]
    public void Bad_patches_are_refused(string patch, int status, string message)
    {
        var original = Object(Deployment);
        original["metadata"]!["finalizers"] = new JsonArray("a");
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(original, Object(patch), PatchTestSchemas.Deployment));
        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Message);
        Assert.Equal(status, error.ToApiException().Code);
    }

    [Fact]
    public void An_object_list_item_without_its_merge_key_is_422()
    {
        var error = Assert.Throws<PatchException>(() => ApplyToPod("""{"spec":{"containers":[{"image":"orphan"}]}}""", """{"spec":{"containers":[{"name":"web"}]}}"""));
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("does not contain declared merge key: name", error.Message);
    }

    [Fact]
    public void A_merge_strategy_without_a_merge_key_on_an_object_list_is_422()
    {
        var schema = Schemas.Object(null, ("items", Schemas.ListOf(Schemas.Object(null, ("name", Schemas.String()))) with { PatchStrategy = "merge" }));
        var error = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Object("""{"items":[{"name":"a"}]}"""), Object("""{"items":[{"name":"b"}]}"""), schema));
        Assert.Equal(422, error.StatusCode);
        Assert.Contains("without a merge key", error.Message);
    }
}
