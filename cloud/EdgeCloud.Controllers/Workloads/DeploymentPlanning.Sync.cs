using System.Globalization;
using System.Text.Json.Nodes;
using EdgeCloud.Kube.Apply;
using EdgeCloud.Kube.Storage;

namespace EdgeCloud.Controllers.Workloads;

public static partial class DeploymentPlanning
{
    /// <summary>
    /// One sync over copies of the objects: each step changes the copies as upstream's writes would change the
    /// stored objects, and the plan lists the copies that changed.
    /// </summary>
    private sealed class Sync
    {
        private readonly JsonObject _original;
        private readonly JsonObject _d;
        private readonly List<JsonObject> _replicaSets;
        private readonly IReadOnlyList<JsonObject> _pods;
        private readonly DateTimeOffset _now;
        private readonly List<JsonObject> _changed = [];
        private readonly List<JsonObject> _deleted = [];
        private readonly List<DeploymentEvent> _events = [];
        private JsonObject? _created;
        private bool _blocked;

        public Sync(JsonObject deployment, IReadOnlyList<JsonObject> replicaSets, IReadOnlyList<JsonObject> pods, DateTimeOffset now)
        {
            _original = deployment;
            _d = deployment.DeepClone().AsObject();
            _replicaSets = [.. replicaSets.Select(rs => rs.DeepClone().AsObject())];
            _pods = pods;
            _now = now;
        }

        private int Replicas => WorkloadJson.SpecReplicas(_d);

        public DeploymentPlan Run()
        {
            if (_d.Metadata()["deletionTimestamp"] is not null)
            {
                var (newRs, oldRss) = ReplicaSetsAndRevision(create: false);
                return Finish(DeploymentStatusCalculator.Calculate(_d, All(oldRss, newRs), newRs, _now), requeue: false);
            }

            DeploymentStatusCalculator.ApplyPausedCondition(_d, _now);
            if (IsPaused(_d) || IsScalingEvent())
            {
                return ScaleOnly();
            }

            return IsRollingUpdate(_d) ? Rolling() : Recreate();
        }

        // sync upstream: a paused Deployment, or a change of spec.replicas, only resizes the sets it has.
        private DeploymentPlan ScaleOnly()
        {
            var (newRs, oldRss) = ReplicaSetsAndRevision(create: false);
            Scale(newRs, oldRss);
            if (IsPaused(_d))
            {
                Cleanup(oldRss);
            }

            return Finish(DeploymentStatusCalculator.Calculate(_d, All(oldRss, newRs), newRs, _now), requeue: false);
        }

        private DeploymentPlan Rolling()
        {
            var (newRs, oldRss) = ReplicaSetsAndRevision(create: true);
            if (_blocked || newRs is null)
            {
                return Finish(WorkloadJson.Status(_d).DeepClone().AsObject(), requeue: false);
            }

            var all = All(oldRss, newRs);
            if (!ReconcileNew(newRs, all) && !ReconcileOld(newRs, oldRss, all) && DeploymentStatusCalculator.IsComplete(_d, WorkloadJson.Status(_d)))
            {
                Cleanup(oldRss);
            }

            return Finish(DeploymentStatusCalculator.RolloutStatus(_d, all, newRs, _now), requeue: true);
        }

        private DeploymentPlan Recreate()
        {
            var (newRs, oldRss) = ReplicaSetsAndRevision(create: false);
            var scaledDown = false;
            foreach (var rs in Active(oldRss))
            {
                scaledDown |= ScaleAndRecord(rs, 0);
            }

            if (scaledDown || OldPodsRunning(newRs, oldRss))
            {
                return Finish(DeploymentStatusCalculator.RolloutStatus(_d, All(oldRss, newRs), newRs, _now), requeue: true);
            }

            if (newRs is null)
            {
                (newRs, oldRss) = ReplicaSetsAndRevision(create: true);
                if (_blocked || newRs is null)
                {
                    return Finish(WorkloadJson.Status(_d).DeepClone().AsObject(), requeue: false);
                }
            }

            ScaleAndRecord(newRs, Replicas);
            if (DeploymentStatusCalculator.IsComplete(_d, WorkloadJson.Status(_d)))
            {
                Cleanup(oldRss);
            }

            return Finish(DeploymentStatusCalculator.RolloutStatus(_d, All(oldRss, newRs), newRs, _now), requeue: true);
        }

        private DeploymentPlan Finish(JsonObject status, bool requeue)
        {
            var revision = WorkloadJson.Annotation(_d, RevisionAnnotation);
            var stored = _original["status"] as JsonObject ?? [];
            return new DeploymentPlan
            {
                Create = _created,
                Update = [.. _changed.Where(rs => !_deleted.Contains(rs))],
                Delete = _deleted,
                Revision = revision != WorkloadJson.Annotation(_original, RevisionAnnotation) ? revision : null,
                Status = status,
                StatusChanged = CanonicalJson.Write(status) != CanonicalJson.Write(stored),
                Events = _events,
                RequeueAt = requeue ? DeploymentStatusCalculator.NextProgressCheck(_d, status, _now) : null,
            };
        }

        // getAllReplicaSetsAndSyncRevision upstream.
        private (JsonObject? New, List<JsonObject> Old) ReplicaSetsAndRevision(bool create)
        {
            var existing = FindNewReplicaSet(_d, _replicaSets);
            var oldRss = _replicaSets.Where(rs => !ReferenceEquals(rs, existing)).ToList();
            var newRevision = (oldRss.Count == 0 ? 0 : oldRss.Max(Revision)) + 1;
            var newRevisionText = WorkloadJson.Text(newRevision);
            if (existing is not null)
            {
                var changed = SetNewReplicaSetAnnotations(existing, newRevisionText, exists: true);
                var minReady = WorkloadJson.Int(_d["spec"] as JsonObject, "minReadySeconds");
                if (WorkloadJson.Int(existing["spec"] as JsonObject, "minReadySeconds") != minReady)
                {
                    WorkloadJson.SetOmitEmpty(WorkloadJson.Spec(existing), "minReadySeconds", minReady);
                    changed = true;
                }

                if (changed)
                {
                    MarkChanged(existing);
                }

                SetDeploymentRevision(WorkloadJson.Annotation(existing, RevisionAnnotation));
                if (DeploymentStatusCalculator.HasProgressDeadline(_d) && WorkloadConditions.Find(WorkloadJson.Status(_d), DeploymentStatusCalculator.Progressing) is null)
                {
                    WorkloadConditions.Set(WorkloadJson.Status(_d), DeploymentStatusCalculator.NewCondition(
                        DeploymentStatusCalculator.Progressing, "True", DeploymentStatusCalculator.FoundNewReplicaSet, $"Found new replica set \"{WorkloadJson.Name(existing)}\"", _now));
                }

                return (existing, oldRss);
            }

            if (!create)
            {
                return (null, oldRss);
            }

            var created = NewReplicaSet(_d);
            var name = WorkloadJson.Name(created);
            if (_replicaSets.Any(rs => WorkloadJson.Name(rs) == name))
            {
                // Another template hashed to this name: count the collision so the next plan picks another name.
                var status = WorkloadJson.Status(_d);
                status["collisionCount"] = WorkloadJson.Int(status, "collisionCount") + 1;
                _blocked = true;
                return (null, oldRss);
            }

            WorkloadJson.Spec(created)["replicas"] = NewReplicas(All(oldRss, created), created);
            SetNewReplicaSetAnnotations(created, newRevisionText, exists: false);
            _created = created;
            _replicaSets.Add(created);
            var size = WorkloadJson.SpecReplicas(created);
            if (size > 0)
            {
                Event("ScalingReplicaSet", $"Scaled up replica set {name} from 0 to {size}");
            }

            if (DeploymentStatusCalculator.HasProgressDeadline(_d))
            {
                WorkloadConditions.Set(WorkloadJson.Status(_d), DeploymentStatusCalculator.NewCondition(
                    DeploymentStatusCalculator.Progressing, "True", DeploymentStatusCalculator.NewReplicaSetCreated, $"Created new replica set \"{name}\"", _now));
            }

            SetDeploymentRevision(newRevisionText);
            return (created, oldRss);
        }

        private bool SetNewReplicaSetAnnotations(JsonObject rs, string newRevision, bool exists)
        {
            var changed = false;
            var annotations = WorkloadJson.Annotations(rs);
            if (_d.Metadata()["annotations"] is JsonObject source)
            {
                foreach (var (key, value) in source)
                {
                    var text = (value as JsonValue)?.TryGetValue<string>(out var s) == true ? s : null;
                    if (text is null || NotCopied.Contains(key) || annotations.GetString(key) == text)
                    {
                        continue;
                    }

                    annotations[key] = text;
                    changed = true;
                }
            }

            var oldRevision = annotations.GetString(RevisionAnnotation);
            long oldNumber = 0;
            if (!string.IsNullOrEmpty(oldRevision) && !long.TryParse(oldRevision, NumberStyles.None, CultureInfo.InvariantCulture, out oldNumber))
            {
                return changed;
            }

            var newNumber = long.Parse(newRevision, CultureInfo.InvariantCulture);
            if (oldNumber < newNumber)
            {
                annotations[RevisionAnnotation] = newRevision;
                changed = true;
                if (!string.IsNullOrEmpty(oldRevision))
                {
                    // A set that had a revision and gets a newer one is being rolled back to: keep what it was.
                    AppendRevisionHistory(annotations, oldRevision);
                }
            }

            if (!exists && SetReplicasAnnotations(rs))
            {
                changed = true;
            }

            return changed;
        }

        private static void AppendRevisionHistory(JsonObject annotations, string oldRevision)
        {
            var history = annotations.GetString(RevisionHistoryAnnotation) ?? "";
            if (history.Length == 0)
            {
                annotations[RevisionHistoryAnnotation] = oldRevision;
                return;
            }

            var revisions = history.Split(',').ToList();
            var total = history.Length + oldRevision.Length + 1;
            var start = 0;
            while (total > MaxRevisionHistoryLength && start < revisions.Count)
            {
                total -= revisions[start].Length + 1;
                start++;
            }

            if (total <= MaxRevisionHistoryLength)
            {
                annotations[RevisionHistoryAnnotation] = string.Join(",", revisions.Skip(start).Append(oldRevision));
            }
        }

        private void SetDeploymentRevision(string? revision)
        {
            if (revision is not null && WorkloadJson.Annotation(_d, RevisionAnnotation) != revision)
            {
                WorkloadJson.Annotations(_d)[RevisionAnnotation] = revision;
            }
        }

        private bool SetReplicasAnnotations(JsonObject rs)
        {
            var desired = WorkloadJson.Text(Replicas);
            var max = WorkloadJson.Text(Replicas + MaxSurge(_d));
            var annotations = WorkloadJson.Annotations(rs);
            var changed = false;
            if (annotations.GetString(DesiredReplicasAnnotation) != desired)
            {
                annotations[DesiredReplicasAnnotation] = desired;
                changed = true;
            }

            if (annotations.GetString(MaxReplicasAnnotation) != max)
            {
                annotations[MaxReplicasAnnotation] = max;
                changed = true;
            }

            return changed;
        }

        // NewRSNewReplicas upstream: how big the new set may be now.
        private int NewReplicas(IReadOnlyList<JsonObject> all, JsonObject newRs)
        {
            if (!IsRollingUpdate(_d))
            {
                return Replicas;
            }

            var current = SumSpec(all);
            var maxTotal = Replicas + MaxSurge(_d);
            var size = WorkloadJson.SpecReplicas(newRs);
            if (current >= maxTotal)
            {
                return size;
            }

            return size + Math.Min(maxTotal - current, Replicas - size);
        }

        private bool ReconcileNew(JsonObject newRs, IReadOnlyList<JsonObject> all)
        {
            var size = WorkloadJson.SpecReplicas(newRs);
            if (size == Replicas)
            {
                return false;
            }

            return ScaleAndRecord(newRs, size > Replicas ? Replicas : NewReplicas(all, newRs));
        }

        private bool ReconcileOld(JsonObject newRs, List<JsonObject> oldRss, IReadOnlyList<JsonObject> all)
        {
            var active = Active(oldRss);
            if (SumSpec(active) == 0)
            {
                return false;
            }

            var minAvailable = Replicas - MaxUnavailable(_d);
            var newUnavailable = WorkloadJson.SpecReplicas(newRs) - Available(newRs);
            var maxScaledDown = SumSpec(all) - minAvailable - newUnavailable;
            if (maxScaledDown <= 0)
            {
                return false;
            }

            // Unhealthy old pods go first: removing them costs no availability.
            var cleaned = 0;
            foreach (var rs in ByCreation(active).ToList())
            {
                if (cleaned >= maxScaledDown)
                {
                    break;
                }

                var size = WorkloadJson.SpecReplicas(rs);
                var unhealthy = size - Available(rs);
                if (size == 0 || unhealthy <= 0)
                {
                    continue;
                }

                var count = Math.Min(maxScaledDown - cleaned, unhealthy);
                ScaleAndRecord(rs, size - count);
                cleaned += count;
            }

            // Then available old pods, as long as minAvailable stay available.
            var scaled = 0;
            var availableCount = all.Sum(Available);
            if (availableCount > minAvailable)
            {
                var toScale = availableCount - minAvailable;
                foreach (var rs in ByCreation(active).ToList())
                {
                    if (scaled >= toScale)
                    {
                        break;
                    }

                    var size = WorkloadJson.SpecReplicas(rs);
                    if (size == 0)
                    {
                        continue;
                    }

                    var count = Math.Min(size, toScale - scaled);
                    ScaleAndRecord(rs, size - count);
                    scaled += count;
                }
            }

            return cleaned + scaled > 0;
        }

        // A set's available pods as far as scaling may count on them: never more than its spec. Right after a
        // scale-down its status may still count the pods being removed (the ReplicaSet controller has not caught up);
        // counting those would let the next pass scale down again and break maxUnavailable.
        private static int Available(JsonObject rs) => Math.Min(WorkloadJson.StatusInt(rs, "availableReplicas"), WorkloadJson.SpecReplicas(rs));

        private bool IsScalingEvent()
        {
            var (newRs, oldRss) = ReplicaSetsAndRevision(create: false);
            foreach (var rs in Active(All(oldRss, newRs)))
            {
                if (int.TryParse(WorkloadJson.Annotation(rs, DesiredReplicasAnnotation), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var desired)
                    && desired != Replicas)
                {
                    return true;
                }
            }

            return false;
        }

        // scale upstream: resize for a new spec.replicas, spreading a change across the sets of a rollout in flight.
        private void Scale(JsonObject? newRs, List<JsonObject> oldRss)
        {
            if (ActiveOrLatest(newRs, oldRss) is { } only)
            {
                ScaleAndRecord(only, Replicas);
                return;
            }

            if (IsSaturated(newRs))
            {
                foreach (var rs in Active(oldRss))
                {
                    ScaleAndRecord(rs, 0);
                }

                return;
            }

            if (!IsRollingUpdate(_d))
            {
                return;
            }

            var active = Active(All(oldRss, newRs));
            var allowed = Replicas > 0 ? Replicas + MaxSurge(_d) : 0;
            var toAdd = allowed - SumSpec(active);
            var operation = toAdd > 0 ? "up" : "down";
            // Growth goes to the biggest and newest sets first, shrinking to the biggest and oldest.
            List<JsonObject> ordered = toAdd > 0
                ? [.. active.OrderByDescending(WorkloadJson.SpecReplicas).ThenByDescending(WorkloadJson.CreationTimestamp).ThenByDescending(WorkloadJson.Name, StringComparer.Ordinal)]
                : [.. active.OrderByDescending(WorkloadJson.SpecReplicas).ThenBy(WorkloadJson.CreationTimestamp).ThenBy(WorkloadJson.Name, StringComparer.Ordinal)];
            var sizes = new int[ordered.Count];
            var added = 0;
            for (var i = 0; i < ordered.Count; i++)
            {
                var size = WorkloadJson.SpecReplicas(ordered[i]);
                var proportion = toAdd != 0 ? Proportion(ordered[i], toAdd, added) : 0;
                sizes[i] = size + proportion;
                added += proportion;
            }

            for (var i = 0; i < ordered.Count; i++)
            {
                if (i == 0 && toAdd != 0)
                {
                    // What rounding left over goes to the biggest set.
                    sizes[0] = Math.Max(0, sizes[0] + toAdd - added);
                }

                ScaleReplicaSet(ordered[i], sizes[i], operation);
            }
        }

        // GetReplicaSetProportion upstream.
        private int Proportion(JsonObject rs, int toAdd, int added)
        {
            var size = WorkloadJson.SpecReplicas(rs);
            if (size == 0 || toAdd == added)
            {
                return 0;
            }

            var fraction = Fraction(rs);
            var allowed = toAdd - added;
            return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
        }

        // getReplicaSetFraction upstream: the share of the new size this set had of the size it was made for.
        private int Fraction(JsonObject rs)
        {
            var size = WorkloadJson.SpecReplicas(rs);
            if (Replicas == 0)
            {
                return -size;
            }

            var deploymentReplicas = Replicas + MaxSurge(_d);
            var annotated = int.TryParse(WorkloadJson.Annotation(rs, MaxReplicasAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var max)
                ? max
                : WorkloadJson.StatusInt(_d, "replicas");
            if (annotated <= 0)
            {
                return 0;
            }

            var newSize = (double)size * deploymentReplicas / annotated;
            return (int)Math.Round(newSize, MidpointRounding.AwayFromZero) - size;
        }

        // FindActiveOrLatest upstream: the one set with pods, or the newest when none has any.
        private static JsonObject? ActiveOrLatest(JsonObject? newRs, List<JsonObject> oldRss)
        {
            if (newRs is null && oldRss.Count == 0)
            {
                return null;
            }

            var active = Active(All(oldRss, newRs));
            return active.Count switch
            {
                0 => newRs ?? ByCreation(oldRss).Last(),
                1 => active[0],
                _ => null,
            };
        }

        private bool IsSaturated(JsonObject? rs) =>
            rs is not null
            && int.TryParse(WorkloadJson.Annotation(rs, DesiredReplicasAnnotation), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var desired)
            && desired == Replicas
            && WorkloadJson.SpecReplicas(rs) == Replicas
            && WorkloadJson.StatusInt(rs, "availableReplicas") == Replicas;

        // oldPodsRunning upstream: Recreate starts new pods only once no old pod can still be running.
        private bool OldPodsRunning(JsonObject? newRs, List<JsonObject> oldRss)
        {
            if (oldRss.Sum(rs => WorkloadJson.StatusInt(rs, "replicas")) > 0)
            {
                return true;
            }

            var oldUids = oldRss.Select(WorkloadJson.Uid).Where(uid => uid is not null).ToHashSet(StringComparer.Ordinal);
            var newUid = newRs is null ? null : WorkloadJson.Uid(newRs);
            return _pods.Any(pod => ControllerRefs.ControllerUid(pod) is { } owner
                && owner != newUid
                && oldUids.Contains(owner)
                && PodConditions.Phase(pod) is not ("Failed" or "Succeeded"));
        }

        // cleanupDeployment upstream: delete the oldest revisions beyond the limit, only those fully scaled down.
        private void Cleanup(List<JsonObject> oldRss)
        {
            if (!WorkloadJson.TryLong(_d["spec"]?["revisionHistoryLimit"], out var limit))
            {
                return;
            }

            var alive = oldRss.Where(rs => rs.Metadata()["deletionTimestamp"] is null).ToList();
            var diff = alive.Count - limit;
            if (diff <= 0)
            {
                return;
            }

            var byRevision = alive.OrderBy(Revision).ThenBy(WorkloadJson.CreationTimestamp).ThenBy(WorkloadJson.Name, StringComparer.Ordinal).ToList();
            for (var i = 0; i < diff; i++)
            {
                var rs = byRevision[i];
                if (WorkloadJson.StatusInt(rs, "replicas") != 0 || WorkloadJson.SpecReplicas(rs) != 0
                    || WorkloadJson.Generation(rs) > WorkloadJson.StatusInt(rs, "observedGeneration"))
                {
                    continue;
                }

                _deleted.Add(rs);
            }
        }

        // scaleReplicaSetAndRecordEvent upstream: nothing to do when the size is right.
        private bool ScaleAndRecord(JsonObject rs, int size)
        {
            var current = WorkloadJson.SpecReplicas(rs);
            return current != size && ScaleReplicaSet(rs, size, current < size ? "up" : "down");
        }

        // scaleReplicaSet upstream: the size and the replicas annotations are written together.
        private bool ScaleReplicaSet(JsonObject rs, int size, string operation)
        {
            var current = WorkloadJson.SpecReplicas(rs);
            var resized = current != size;
            if (resized)
            {
                WorkloadJson.Spec(rs)["replicas"] = size;
            }

            if (SetReplicasAnnotations(rs) | resized)
            {
                MarkChanged(rs);
            }

            if (resized)
            {
                Event("ScalingReplicaSet", $"Scaled {operation} replica set {WorkloadJson.Name(rs)} from {current} to {size}");
            }

            return resized;
        }

        private void MarkChanged(JsonObject rs)
        {
            if (!ReferenceEquals(rs, _created) && !_changed.Contains(rs))
            {
                _changed.Add(rs);
            }
        }

        private void Event(string reason, string message) =>
            _events.Add(new DeploymentEvent { Type = "Normal", Reason = reason, Message = message });

        private static List<JsonObject> All(List<JsonObject> oldRss, JsonObject? newRs) => newRs is null ? [.. oldRss] : [.. oldRss, newRs];

        private static List<JsonObject> Active(IEnumerable<JsonObject> replicaSets) => [.. replicaSets.Where(rs => WorkloadJson.SpecReplicas(rs) > 0)];

        private static int SumSpec(IEnumerable<JsonObject> replicaSets) => replicaSets.Sum(WorkloadJson.SpecReplicas);
    }
}
