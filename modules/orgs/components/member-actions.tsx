"use client";

import { MoreHorizontal } from "lucide-react";
import { useState, useTransition } from "react";
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
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import type { ActionResult } from "@/lib/action-result";
import { ROLE_LABELS, type Role } from "@/lib/auth/permissions";
import { changeMemberRole, removeMember, resendInvite, revokeInvite } from "../actions";

function report(result: ActionResult, success: string) {
  if (result.ok) toast.success(success);
  else toast.error(result.error);
}

export function RoleSelect(props: { memberId: string; name: string; role: Role; roles: Role[]; disabled?: boolean }) {
  const [pending, start] = useTransition();
  const options = props.roles.includes(props.role) ? props.roles : [props.role, ...props.roles];
  return (
    <Select
      value={props.role}
      disabled={props.disabled || pending}
      onValueChange={(role) =>
        start(async () => report(await changeMemberRole({ memberId: props.memberId, role }), `${props.name} is now ${ROLE_LABELS[role as Role].toLowerCase()}`))
      }
    >
      <SelectTrigger size="sm" className="w-32" aria-label={`Role of ${props.name}`}>
        <SelectValue />
      </SelectTrigger>
      <SelectContent>
        {options.map((r) => (
          <SelectItem key={r} value={r} disabled={!props.roles.includes(r)}>
            {ROLE_LABELS[r]}
          </SelectItem>
        ))}
      </SelectContent>
    </Select>
  );
}

export function RemoveMemberButton({ memberId, name }: { memberId: string; name: string }) {
  const [open, setOpen] = useState(false);
  const [pending, start] = useTransition();
  return (
    <AlertDialog open={open} onOpenChange={setOpen}>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)} aria-label={`Remove ${name}`}>
        Remove
      </Button>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Remove {name}?</AlertDialogTitle>
          <AlertDialogDescription>
            Their account is deleted and they lose access at once. Records they own stay in the organization.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <AlertDialogAction
            disabled={pending}
            onClick={(e) => {
              e.preventDefault();
              start(async () => {
                report(await removeMember({ memberId }), `${name} was removed`);
                setOpen(false);
              });
            }}
          >
            Remove member
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

export function InviteMenu({ inviteId, email }: { inviteId: string; email: string }) {
  const [pending, start] = useTransition();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" disabled={pending} aria-label={`Actions for the invitation to ${email}`}>
          <MoreHorizontal className="size-4" aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem onSelect={() => start(async () => report(await resendInvite({ inviteId }), `Invitation re-sent to ${email}`))}>
          Resend
        </DropdownMenuItem>
        <DropdownMenuItem
          variant="destructive"
          onSelect={() => start(async () => report(await revokeInvite({ inviteId }), `Invitation to ${email} revoked`))}
        >
          Revoke
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
