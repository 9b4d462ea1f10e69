package dev.sightline.gateway.bench;

/** CPU ticks each party used during one or more measured phases. */
record CpuUse(long client, long gateway, long gatewayJit, long services, long postgres, long machine, long others) {

    static CpuUse between(Cpu before, Cpu after) {
        return new CpuUse(after.client() - before.client(), after.gateway() - before.gateway(),
                Math.max(0, after.gatewayJit() - before.gatewayJit()), after.services() - before.services(),
                after.postgres() - before.postgres(), after.machine() - before.machine(), after.others(before));
    }

    CpuUse plus(CpuUse o) {
        return new CpuUse(client + o.client, gateway + o.gateway, gatewayJit + o.gatewayJit, services + o.services,
                postgres + o.postgres, machine + o.machine, others + o.others);
    }
}
