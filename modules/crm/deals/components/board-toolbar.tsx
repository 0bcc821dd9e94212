"use client";

import { SearchIcon } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useId, useState } from "react";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";

/** Pipeline switcher and board filters, kept in the URL so a board can be shared and reloaded. */
export function BoardToolbar(props: {
  pipelines: { id: string; name: string }[];
  pipelineId: string;
  members: { id: string; name: string }[];
  /** What the pipeline calls one of its deals ("Case"); Deal unless given. */
  noun?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const ids = useId();
  const [q, setQ] = useState(params.get("q") ?? "");
  const [tag, setTag] = useState(params.get("tag") ?? "");

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete("limit");
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  // Typing settles before the board refetches.
  useEffect(() => {
    const current = { q: params.get("q") ?? "", tag: params.get("tag") ?? "" };
    if (current.q === q.trim() && current.tag === tag.trim()) return;
    const timer = setTimeout(() => update({ q: q.trim() || null, tag: tag.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [q, tag]);

  return (
    <div className="flex flex-wrap items-end gap-3 pb-4" role="search" aria-label="Board filters">
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-pipeline`} className="text-xs text-muted-foreground">
          Pipeline
        </Label>
        <NativeSelect
          id={`${ids}-pipeline`}
          value={props.pipelineId}
          onChange={(e) => update({ pipeline: e.target.value })}
          className="w-48"
        >
          {props.pipelines.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-owner`} className="text-xs text-muted-foreground">
          Owner
        </Label>
        <NativeSelect
          id={`${ids}-owner`}
          value={params.get("owner") ?? ""}
          onChange={(e) => update({ owner: e.target.value || null })}
          className="w-44"
        >
          <option value="">Anyone</option>
          <option value="me">Me</option>
          {props.members.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-tag`} className="text-xs text-muted-foreground">
          Tag
        </Label>
        <Input id={`${ids}-tag`} value={tag} onChange={(e) => setTag(e.target.value)} placeholder="Any tag" className="w-36" />
      </div>
      <div className="grid gap-1">
        <Label htmlFor={`${ids}-q`} className="text-xs text-muted-foreground">
          Search
        </Label>
        <div className="relative">
          <SearchIcon className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden />
          <Input
            id={`${ids}-q`}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={`${props.noun ?? "Deal"}, company or person`}
            className="w-60 pl-8"
          />
        </div>
      </div>
    </div>
  );
}
