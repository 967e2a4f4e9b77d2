import { describe, expect, it } from "vitest";
import { lossName } from "./lossNames";

describe("lossName", () => {
  it("names the catalog's losses", () => {
    expect(lossName("bce").short).toBe("BCE");
    expect(lossName("cross_entropy").long).toBe("cross-entropy");
    expect(lossName("mse")).toEqual({ short: "MSE", long: "mean squared error" });
  });

  it("shows an unknown loss as it is, and a missing one as 'loss'", () => {
    expect(lossName("huber_loss")).toEqual({ short: "huber_loss", long: "huber loss" });
    expect(lossName(undefined).short).toBe("loss");
  });
});
