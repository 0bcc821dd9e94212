"use client";

import { ChevronDownIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuSeparator, DropdownMenuTrigger } from "@/components/ui/dropdown-menu";
import type { PropertyAction } from "./record-properties";

const NO_ONE = "none";

/**
 * The owner in a record's header, changed there: a menu of the members
 * (arrows, Enter and type-ahead from the keyboard) that saves the choice
 * through the record's inline edit as the Owner cell of its list does.
 */
export function OwnerPicker(props: { recordId: string; ownerId: string | null; members: { id: string; name: string }[]; action: PropertyAction }) {
  const router = useRouter();
  const [ownerId, setOwnerId] = useState(props.ownerId ?? NO_ONE);
  const [shownFor, setShownFor] = useState(props.ownerId);
  const [pending, start] = useTransition();
  // Opened from the keyboard, the menu puts the focus on the current owner:
  // Radix guesses keyboard use from the last event, and a pointer event fired
  // by the layout moving under a resting mouse undoes its guess.
  const byKeyboard = useRef(false);
  const content = useRef<HTMLDivElement>(null);
  // The page's owner wins once it changes (a refresh, another tab's edit).
  if (shownFor !== props.ownerId) {
    setShownFor(props.ownerId);
    setOwnerId(props.ownerId ?? NO_ONE);
  }
  const nameOf = (id: string) => (id === NO_ONE ? "No owner" : (props.members.find((m) => m.id === id)?.name ?? "Unknown member"));

  function choose(next: string) {
    if (next === ownerId) return;
    const before = ownerId;
    setOwnerId(next);
    start(async () => {
      const r = await props.action(props.recordId, "owner", next === NO_ONE ? null : next);
      if (!r.ok) {
        setOwnerId(before);
        toast.error(r.fieldErrors?.owner ?? r.error);
        return;
      }
      toast.success(next === NO_ONE ? "Owner removed" : `Owner changed to ${nameOf(next)}`);
      router.refresh();
    });
  }

  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="-ml-2 h-7 px-2 font-normal text-muted-foreground"
          disabled={pending}
          onPointerDown={() => (byKeyboard.current = false)}
          onKeyDown={(e) => (byKeyboard.current = ["Enter", " ", "ArrowDown", "ArrowUp"].includes(e.key))}
        >
          <span>
            Owner: <span className="font-medium text-foreground">{nameOf(ownerId)}</span>
          </span>
          <ChevronDownIcon aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent
        ref={content}
        align="start"
        onFocus={(e) => {
          // Radix focuses the menu itself as it opens; from the keyboard the
          // focus moves on to the current owner.
          if (e.target !== e.currentTarget || !byKeyboard.current) return;
          byKeyboard.current = false;
          content.current?.querySelector<HTMLElement>('[role="menuitemradio"][aria-checked="true"]')?.focus({ preventScroll: true });
        }}
      >
        <DropdownMenuLabel>Owner</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuRadioGroup value={ownerId} onValueChange={choose}>
          {props.members.map((m) => (
            <DropdownMenuRadioItem key={m.id} value={m.id}>
              {m.name}
            </DropdownMenuRadioItem>
          ))}
          <DropdownMenuRadioItem value={NO_ONE}>No owner</DropdownMenuRadioItem>
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
