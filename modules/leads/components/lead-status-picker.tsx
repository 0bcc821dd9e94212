"use client";

import { ChevronDownIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuLabel,
  DropdownMenuRadioGroup,
  DropdownMenuRadioItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { PropertyAction } from "@/modules/crm/records/ui";

/**
 * The lead's status in its header, changed there: a menu of the org's
 * statuses (arrows, Enter and type-ahead from the keyboard) that saves through
 * the lead's inline edit, as the Status cell of the list does.
 */
export function LeadStatusPicker(props: {
  leadId: string;
  status: string;
  statuses: { key: string; label: string }[];
  action: PropertyAction;
}) {
  const router = useRouter();
  const [status, setStatus] = useState(props.status);
  const [shownFor, setShownFor] = useState(props.status);
  const [pending, start] = useTransition();
  if (shownFor !== props.status) {
    setShownFor(props.status);
    setStatus(props.status);
  }
  const labelOf = (key: string) => props.statuses.find((s) => s.key === key)?.label ?? key;

  function choose(next: string) {
    if (next === status) return;
    const before = status;
    setStatus(next);
    start(async () => {
      const r = await props.action(props.leadId, "status", next);
      if (!r.ok) {
        setStatus(before);
        toast.error(r.fieldErrors?.status ?? r.error);
        return;
      }
      toast.success(`Status changed to ${labelOf(next)}`);
      router.refresh();
    });
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" className="-ml-2 h-7 px-2 font-normal text-muted-foreground" disabled={pending}>
          <span>
            Status: <Badge variant="secondary">{labelOf(status)}</Badge>
          </span>
          <ChevronDownIcon aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start">
        <DropdownMenuLabel>Status</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuRadioGroup value={status} onValueChange={choose}>
          {props.statuses.map((s) => (
            <DropdownMenuRadioItem key={s.key} value={s.key}>
              {s.label}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
