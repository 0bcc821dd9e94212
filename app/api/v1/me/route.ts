import { getMe } from "@/modules/api/resources/me";

export const GET = getMe.handler;
