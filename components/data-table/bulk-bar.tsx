"use client";

import { ArchiveIcon, ArchiveRestoreIcon, DownloadIcon, ListChecksIcon, TagIcon, Trash2Icon, UserRoundIcon, XIcon } from "lucide-react";
import { useId, useState, useTransition } from "react";
import { toast } from "sonner";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Popover, PopoverContent, PopoverTrigger } from "@/components/ui/popover";
import type { ActionResult } from "@/lib/action-result";
import type { BulkActions, ListMember } from "./types";

function count(n: number, one: string, many: string) {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** Actions on the selected rows; shown while any row is selected. */
export function BulkBar(props: {
  ids: string[];
  labels: { one: string; many: string };
  bulk: BulkActions;
  members: ListMember[];
  archived: boolean;
  canDelete: boolean;
  exportHref: string | null;
  onDone: () => void;
  onClear: () => void;
}) {
  const { ids, bulk, labels } = props;
  const id = useId();
  const [pending, start] = useTransition();
  const [tag, setTag] = useState("");
  const [tagOpen, setTagOpen] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const n = count(ids.length, labels.one, labels.many);

  function run(action: () => Promise<ActionResult<unknown>>, success: string, after?: () => void) {
    start(async () => {
      const r = await action();
      if (r.ok) {
        toast.success(success);
        after?.();
        props.onDone();
      } else toast.error(r.error);
    });
  }

  return (
    <div
      role="region"
      aria-label="Bulk actions"
      className="flex flex-wrap items-center gap-2 rounded-md border bg-muted/50 px-3 py-2 text-sm"
    >
      <span className="font-medium" aria-live="polite">
        {n} selected
      </span>
      <div className="flex flex-wrap items-center gap-2">
        {bulk.assign ? (
          <DropdownMenu modal={false}>
            <DropdownMenuTrigger asChild>
              <Button variant="outline" size="sm" disabled={pending}>
                <UserRoundIcon aria-hidden />
                Assign
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="start" className="max-h-72 w-56">
              <DropdownMenuLabel>Assign to</DropdownMenuLabel>
              {props.members.map((m) => (
                <DropdownMenuItem
                  key={m.id}
                  onSelect={() => run(() => bulk.assign!({ ids, userId: m.id }), `Assigned ${n} to ${m.name}`)}
                >
                  {m.name}
                </DropdownMenuItem>
              ))}
              <DropdownMenuSeparator />
              <DropdownMenuItem onSelect={() => run(() => bulk.assign!({ ids, userId: null }), `Unassigned ${n}`)}>
                No one
              </DropdownMenuItem>
            </DropdownMenuContent>
          </DropdownMenu>
        ) : null}
        {bulk.choose ? (
          <DropdownMenu modal={false}>
            <DropdownMenuTrigger asChild>
              <Button variant="outline" size="sm" disabled={pending}>
                <ListChecksIcon aria-hidden />
                Set {bulk.choose.label.toLowerCase()}
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="start" className="max-h-72 w-56">
              <DropdownMenuLabel>{bulk.choose.label}</DropdownMenuLabel>
              {bulk.choose.options.map((o) => (
                <DropdownMenuItem
                  key={o.value}
                  onSelect={() => run(() => bulk.choose!.action({ ids, value: o.value }), `Set ${n} to ${o.label}`)}
                >
                  {o.label}
                </DropdownMenuItem>
              ))}
            </DropdownMenuContent>
          </DropdownMenu>
        ) : null}
        {bulk.tag ? (
          <Popover open={tagOpen} onOpenChange={setTagOpen}>
            <PopoverTrigger asChild>
              <Button variant="outline" size="sm" disabled={pending}>
                <TagIcon aria-hidden />
                Add tag
              </Button>
            </PopoverTrigger>
            <PopoverContent align="start" className="w-64" aria-label="Add tag">
              <form
                className="grid gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  const value = tag.trim();
                  if (!value) return;
                  run(() => bulk.tag!({ ids, tag: value }), `Tagged ${n} "${value}"`, () => {
                    setTag("");
                    setTagOpen(false);
                  });
                }}
              >
                <Label htmlFor={`${id}-tag`}>Tag</Label>
                <Input id={`${id}-tag`} value={tag} onChange={(e) => setTag(e.target.value)} maxLength={50} autoFocus />
                <Button type="submit" size="sm" disabled={pending || !tag.trim()}>
                  Add tag
                </Button>
              </form>
            </PopoverContent>
          </Popover>
        ) : null}
        {!props.archived && bulk.archive ? (
          <Button variant="outline" size="sm" disabled={pending} onClick={() => run(() => bulk.archive!({ ids }), `Archived ${n}`)}>
            <ArchiveIcon aria-hidden />
            Archive
          </Button>
        ) : null}
        {props.archived && bulk.restore ? (
          <Button variant="outline" size="sm" disabled={pending} onClick={() => run(() => bulk.restore!({ ids }), `Restored ${n}`)}>
            <ArchiveRestoreIcon aria-hidden />
            Restore
          </Button>
        ) : null}
        {props.exportHref ? (
          <Button variant="outline" size="sm" asChild>
            <a href={props.exportHref} download>
              <DownloadIcon aria-hidden />
              Export selected
            </a>
          </Button>
        ) : null}
        {props.canDelete && bulk.delete ? (
          <Button variant="outline" size="sm" disabled={pending} onClick={() => setConfirmDelete(true)} className="text-destructive">
            <Trash2Icon aria-hidden />
            Delete
          </Button>
        ) : null}
      </div>
      <Button variant="ghost" size="sm" className="ml-auto" onClick={props.onClear}>
        <XIcon aria-hidden />
        Clear selection
      </Button>

      <AlertDialog open={confirmDelete} onOpenChange={setConfirmDelete}>
        <AlertDialogContent>
          <AlertDialogHeader>
            <AlertDialogTitle>Delete {n} for good?</AlertDialogTitle>
            <AlertDialogDescription>
              Deleted records and their notes and history cannot be brought back. Archive them instead to hide them from lists.
            </AlertDialogDescription>
          </AlertDialogHeader>
          <AlertDialogFooter>
            <AlertDialogCancel>Cancel</AlertDialogCancel>
            <AlertDialogAction
              disabled={pending}
              className="bg-destructive text-destructive-foreground hover:bg-destructive/90"
              onClick={(e) => {
                e.preventDefault();
                run(() => bulk.delete!({ ids }), `Deleted ${n}`, () => setConfirmDelete(false));
              }}
            >
              Delete {n}
            </AlertDialogAction>
          </AlertDialogFooter>
        </AlertDialogContent>
      </AlertDialog>
    </div>
  );
}
